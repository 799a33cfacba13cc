import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../errors.ts';
import type { FuncMap, GoValue } from './index.ts';
import {
  FuncError,
  GO_METHODS,
  GoTyped,
  parse,
  render,
  stringMap,
  TemplateError,
  toGoValue,
  withSignature,
} from './index.ts';

function errorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof TemplateError, `expected TemplateError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

describe('TemplateError', () => {
  it('parse errors carry Go text, name, line and column', () => {
    const e = errorOf(() => parse('a\nb {{ .x }\n', { name: 'key' }));
    assert.equal(e.message, 'template: key:2: unexpected "}" in operand');
    assert.equal(e.templateName, 'key');
    assert.equal(e.line, 2);
    assert.equal(e.phase, 'parse');
    assert.ok(e instanceof InputError);
  });

  it('exec errors report line and byte column of the failing node', () => {
    const tpl = parse('ab\né {{ .foo }}', { name: 'key' });
    const e = errorOf(() => tpl.execute(stringMap({}), { missingKey: 'error' }));
    assert.equal(
      e.message,
      'template: key:2:6: executing "key" at <.foo>: map has no entry for key "foo"',
    );
    assert.deepEqual([e.line, e.column, e.phase], [2, 6, 'exec']);
  });

  it('function errors are wrapped as "error calling"', () => {
    const funcs: FuncMap = new Map([
      [
        'boom',
        () => {
          throw new FuncError('bad input');
        },
      ],
    ]);
    const e = errorOf(() => render('{{ boom 1 }}', null, { name: 't', funcs }));
    assert.equal(
      e.message,
      'template: t:1:3: executing "t" at <boom 1>: error calling boom: bad input',
    );
  });

  it('an unknown function is a parse error', () => {
    assert.equal(
      errorOf(() => parse('{{ nope }}', { name: 't' })).message,
      'template: t:1: function "nope" not defined',
    );
  });
});

describe('ESO usage: map[string]string data', () => {
  const data = stringMap({ user: 'admin', 'key-with-dash': 'v' });

  it('renders fields and index lookups', () => {
    const out = render('{{ .user }}/{{ index . "key-with-dash" }}', data, { missingKey: 'error' });
    assert.equal(out, 'admin/v');
  });

  it('missingkey modes: default prints <no value>, zero prints the string zero value', () => {
    assert.equal(render('[{{ .nope }}]', data), '[<no value>]');
    assert.equal(render('[{{ .nope }}]', data, { missingKey: 'zero' }), '[]');
    assert.equal(render('[{{ index . "nope" }}]', data), '[]');
  });

  it('custom delimiters leave {{ }} as text', () => {
    assert.equal(
      render('<< .user >> {{ .user }}', data, { leftDelim: '<<', rightDelim: '>>' }),
      'admin {{ .user }}',
    );
  });

  it('ranges over keys in sorted order', () => {
    const m = stringMap({ b: '2', a: '1', C: '3' });
    assert.equal(render('{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}', m), 'C=3;a=1;b=2;');
  });
});

describe('values', () => {
  it('toGoValue decodes JSON like encoding/json into interface{}', () => {
    const v = toGoValue({ a: 1, b: [true, null, 'x'], c: { d: 1.5 } });
    assert.ok(v instanceof Map);
    assert.equal(v.get('a'), 1);
    assert.deepEqual(v.get('b'), [true, null, 'x']);
    assert.equal(render('{{ .a }} {{ .b }} {{ .c }}', v), '1 [true <nil> x] map[d:1.5]');
  });

  it('struct-like GoTyped values expose fields and function fields as methods', () => {
    const obj = new GoTyped(
      'v1.Secret',
      new Map<string, GoValue>([
        ['Name', 'db'],
        [
          'Greet',
          withSignature({ params: ['string'], result: 'string' }, (s) => `hi ${s as string}`),
        ],
      ]),
    );
    assert.equal(
      render('{{ .Name }} {{ .Greet "bob" }} {{ "amy" | .Greet }}', obj),
      'db hi bob hi amy',
    );
    assert.equal(
      errorOf(() => render('{{ .Missing }}', obj, { name: 't' })).message,
      'template: t:1:3: executing "t" at <.Missing>: can\'t evaluate field Missing in type v1.Secret',
    );
  });

  it('values with [GO_METHODS] expose Go methods, which win over fields', () => {
    class Clock extends GoTyped {
      constructor(readonly year: bigint) {
        super('time.Time', new Map<string, GoValue>([['Year', 'field']]));
      }
      [GO_METHODS](name: string) {
        if (name === 'Year') return withSignature({ params: [], result: 'int' }, () => this.year);
        if (name === 'Add')
          return withSignature(
            { params: ['int'], result: 'int' },
            (n) => this.year + (n as bigint),
          );
        return undefined;
      }
    }
    const data = new Map<string, GoValue>([['t', new Clock(2020n)]]);
    assert.equal(render('{{ .t.Year }} {{ .t.Add 5 }} {{ 1 | .t.Add }}', data), '2020 2025 2021');
    assert.equal(
      errorOf(() => render('{{ .t.Add }}', data, { name: 't' })).message,
      'template: t:1:5: executing "t" at <.t.Add>: wrong number of args for Add: want 1 got 0',
    );
  });

  it('signatures give Go arity and argument type errors', () => {
    const funcs: FuncMap = new Map([
      ['up', withSignature({ params: ['string'], result: 'string' }, (s) => s)],
    ]);
    assert.equal(
      errorOf(() => render('{{ up 1 }}', null, { name: 't', funcs })).message,
      'template: t:1:6: executing "t" at <1>: expected string; found 1',
    );
    assert.equal(
      errorOf(() => render('{{ up }}', null, { name: 't', funcs })).message,
      'template: t:1:3: executing "t" at <up>: wrong number of args for up: want 1 got 0',
    );
  });

  it('user functions named break and continue shadow the keywords, as in Go', () => {
    const funcs: FuncMap = new Map([['break', () => 'B']]);
    assert.equal(render('{{ break }}', null, { funcs }), 'B');
  });
});

describe('templates', () => {
  it('executeTemplate runs a defined template by name', () => {
    const tpl = parse('{{ define "x" }}<{{ . }}>{{ end }}main', { name: 'm' });
    assert.deepEqual(tpl.templateNames().sort(), ['m', 'x']);
    assert.equal(tpl.executeTemplate('x', 'v'), '<v>');
    assert.equal(tpl.execute(null), 'main');
    assert.equal(
      errorOf(() => tpl.executeTemplate('y', null)).message,
      'template: no template "y" associated with template "m"',
    );
  });
});

describe('range control flow', () => {
  const cases: [name: string, template: string, want: string][] = [
    [
      'continue in an inner range else skips the outer iteration',
      '{{range (list 1 2)}}{{range (list)}}{{else}}{{continue}}{{end}}{{.}}{{end}}',
      '',
    ],
    [
      // Go's walkRange recovers the break of its own else branch (checked with the oracle).
      'break in an inner range else ends only the inner range',
      '{{range (list 1 2)}}{{.}}{{range (list)}}{{else}}{{break}}{{end}}x{{end}}',
      '1x2x',
    ],
    [
      'a non-empty inner range does not run its else',
      '{{range (list 1 2)}}{{range (list 0)}}{{else}}{{break}}{{end}}{{.}}{{end}}',
      '12',
    ],
    [
      'continue in the inner body stays inside the inner range',
      '{{range (list 1 2)}}{{range (list 0)}}{{continue}}{{end}}{{.}}{{end}}',
      '12',
    ],
  ];
  const funcs: FuncMap = new Map([['list', (...xs: GoValue[]) => xs]]);
  for (const [name, template, want] of cases) {
    it(name, () => {
      assert.equal(render(template, null, { funcs }), want);
    });
  }
});

describe('limits', () => {
  it('output size is bounded', () => {
    const e = errorOf(() =>
      render('{{ range 100 }}xxxxxxxxxx{{ end }}', null, { limits: { maxOutput: 500 } }),
    );
    assert.match(e.message, /output exceeds the limit of 500 characters/);
  });

  it('range iterations are bounded', () => {
    const e = errorOf(() =>
      render('{{ range 1000000000 }}{{ end }}', null, { limits: { maxSteps: 1000 } }),
    );
    assert.match(e.message, /execution step limit \(1000\) exceeded/);
  });

  it('template recursion is bounded', () => {
    const e = errorOf(() =>
      render('{{ define "r" }}{{ template "r" }}{{ end }}{{ template "r" }}', null),
    );
    assert.match(e.message, /exceeded maximum template depth \(1000\)/);
  });

  it('template size and nesting depth are bounded at parse time', () => {
    assert.match(
      errorOf(() => parse('x'.repeat(101), { maxTemplateSize: 100 })).message,
      /exceeds the limit/,
    );
    const deep = '{{ ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + ' }}';
    assert.match(errorOf(() => parse(deep)).message, /max expression depth exceeded/);
    const ifs = '{{ if 1 }}'.repeat(3000) + '{{ end }}'.repeat(3000);
    assert.match(errorOf(() => parse(ifs)).message, /max expression depth exceeded/);
  });
});

describe('redaction', () => {
  it('redactedMessage leaves out data values Go prints in errors', () => {
    const e = errorOf(() =>
      render('{{ range .password }}{{ end }}', stringMap({ password: 's3cr3t' }), { name: 't' }),
    );
    assert.equal(
      e.message,
      'template: t:1:9: executing "t" at <.password>: range can\'t iterate over s3cr3t',
    );
    assert.equal(
      e.redactedMessage,
      'template: t:1:9: executing "t" at <.password>: range can\'t iterate over a string',
    );
  });
});

describe('non-UTF-8 strings', () => {
  it('byte escapes and byte-wise slicing keep Go string bytes (GoTyped string of bytes)', () => {
    const out = render(
      '{{ len "\\xff" }} {{ len (slice "日本" 0 1) }} {{ eq (slice "日本" 0 1) "\\xe6" }} ' +
        '{{ lt "\\xfe" "\\xff" }} {{ index "\\xff" 0 }} {{ eq (slice "日本" 0 3) "日" }}',
      null,
    );
    assert.equal(out, '1 1 true true 255 true');
  });
});
