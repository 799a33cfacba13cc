/** Parse-tree shapes and parse errors, ported from the behaviours in Go's parse_test.go. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeString } from './ast.ts';
import { builtins } from './builtins.ts';
import { ParseFailure, parseTrees } from './parser.ts';

function tree(text: string): string {
  const trees = parseTrees(text, {
    name: 't',
    leftDelim: '',
    rightDelim: '',
    hasFunction: (n) => builtins.has(n),
    maxDepth: 1000,
  });
  const root = trees.get('t');
  assert.ok(root);
  return nodeString(root.root);
}

const ok: [string, string][] = [
  ['', ''],
  ['{{/*\n\n\n*/}}', ''],
  [' \t\n', ' \t\n'],
  ['{{.X}}', '{{.X}}'],
  ['{{printf}}', '{{printf}}'],
  ['{{$}}', '{{$}}'],
  ['{{with $x := 3}}{{$x 23}}{{end}}', '{{with $x := 3}}{{$x 23}}{{end}}'],
  ['{{$.I}}', '{{$.I}}'],
  ['{{printf `%d` 23}}', '{{printf `%d` 23}}'],
  ['{{.X|.Y}}', '{{.X | .Y}}'],
  ['{{$x := .X|.Y}}', '{{$x := .X | .Y}}'],
  ['{{.X (.Y .Z) (.A | .B .C) (.E)}}', '{{.X (.Y .Z) (.A | .B .C) (.E)}}'],
  ['{{(.Y .Z).Field}}', '{{(.Y .Z).Field}}'],
  ['{{if .X}}true{{else if .Y}}false{{end}}', '{{if .X}}true{{else}}{{if .Y}}false{{end}}{{end}}'],
  ['{{range .X|.M}}true{{else}}false{{end}}', '{{range .X | .M}}true{{else}}false{{end}}'],
  [
    '{{range $x, $y := .SI}}{{.}}{{break}}{{continue}}{{end}}',
    '{{range $x, $y := .SI}}{{.}}{{break}}{{continue}}{{end}}',
  ],
  [
    "{{range .SI 1 -3.2 true false 'a' nil}}{{end}}",
    "{{range .SI 1 -3.2 true false 'a' nil}}{{end}}",
  ],
  ['{{template `x` .Y}}', '{{template "x" .Y}}'],
  ['{{with .X}}X{{else with .Y}}Y{{end}}', '{{with .X}}X{{else}}{{with .Y}}Y{{end}}{{end}}'],
  ['x \r\n\t{{- 3 -}}\n\n\ty', 'x{{3}}y'],
  ['x\n{{-  3   -}}\ny', 'x{{3}}y'],
  ['x \r\n\t{{- /* */ -}}\n\n\ty', 'xy'],
  ['{{block "foo" .}}hello{{end}}', '{{template "foo" .}}'],
  ['{{ $x \n := \n 1 \n }}', '{{$x := 1}}'],
  ['{{\n"x"\n|\nprintf\n}}', '{{"x" | printf}}'],
];

const bad: [string, string][] = [
  ['{{}}', 'template: t:1: missing value for command'],
  ['hello{{range', 'template: t:1: unclosed action'],
  ['{{end}}', 'template: t:1: unexpected {{end}}'],
  ['{{if .X}}hello{{end}}{{else}}', 'template: t:1: unexpected {{else}}'],
  ['{{if .X}}1{{else}}2{{else}}3{{end}}', 'template: t:1: expected end; found {{else}}'],
  ['hello{{range .x}}{{else}}', 'template: t:1: unexpected EOF'],
  ['hello{{undefined}}', 'template: t:1: function "undefined" not defined'],
  ['{{with $x := 4}}{{end}}{{$x}}', 'template: t:1: undefined variable "$x"'],
  ['{{template .X}}', 'template: t:1: unexpected ".X" in template clause'],
  ['{{printf 3, 4}}', 'template: t:1: unexpected "," in operand'],
  ['{{with $v, $u := 3}}{{end}}', 'template: t:1: too many declarations in with'],
  ['{{range $u, $v, $w := 3}}{{end}}', 'template: t:1: too many declarations in range'],
  ['{{printf (printf .).}}', 'template: t:1: unexpected <.> in operand'],
  ['{{printf 3`x`}}', 'template: t:1: unexpected "`x`" in operand'],
  ['{{range .}}{{else}}{{break}}{{end}}', 'template: t:1: {{break}} outside {{range}}'],
  ['{{$x += 1}}{{$x}}', 'template: t:1: undefined variable "$x"'],
  ['{{\n(\n}}', 'template: t:3: unclosed left paren in action started at t:1'],
  ['a\n{{ if \n.x\n', 'template: t:4: unclosed action started at t:2'],
];

describe('parser', () => {
  for (const [text, want] of ok) {
    it(`parses ${JSON.stringify(text)}`, () => {
      assert.equal(tree(text), want);
    });
  }
  for (const [text, want] of bad) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => tree(text),
        (e: unknown) => e instanceof ParseFailure && e.message === want,
      );
    });
  }
});
