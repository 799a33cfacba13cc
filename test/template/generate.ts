/**
 * Seeded generator of random (template, data) pairs for the differential suite. A small typed
 * grammar keeps most templates valid so the comparison exercises output, not just "both fail":
 * actions, pipelines, variables, if/with/range/else, break/continue, comparisons, printf, sprig
 * string/list/dict/math functions, trim markers, comments and nested define/template/block.
 *
 * Same seed, same cases: `generateCases(seed, count)` is a pure function.
 */
import type { MissingKey, TemplateCase } from './oracle.ts';

/** mulberry32: tiny, fast, good enough for test generation. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'str' | 'int' | 'float' | 'bool' | 'list' | 'map';
const kinds: readonly Kind[] = ['str', 'int', 'float', 'bool', 'list', 'map'];

interface Scope {
  vars: { name: string; kind: Kind }[];
  /** Whether `.` is the root data (outside with/range), so `.field` works. */
  dotIsRoot: boolean;
  inRange: boolean;
  depth: number;
  defines: string[];
}

class Gen {
  private varCounter = 0;
  constructor(private readonly rnd: () => number) {}

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }

  word(): string {
    const alphabet = [
      'a',
      'b',
      'c',
      'x',
      'Y',
      'Z',
      ' ',
      '-',
      '_',
      '.',
      ',',
      '1',
      '9',
      'é',
      '世',
      '☃',
      'ß',
    ];
    const n = this.int(0, 7);
    let s = '';
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }

  strLit(): string {
    const w = this.word();
    if (this.chance(0.2) && !w.includes('`')) return '`' + w + '`';
    const extra = this.chance(0.15)
      ? this.pick(['\\n', '\\t', '\\"', '\\\\', '\\x41', '\\u00e9'])
      : '';
    return JSON.stringify(w).slice(0, -1) + extra + '"';
  }

  root(sc: Scope, field: string): string {
    return sc.dotIsRoot && this.chance(0.7) ? `.${field}` : `$.${field}`;
  }

  varOf(sc: Scope, kind: Kind): string | null {
    const vs = sc.vars.filter((v) => v.kind === kind);
    return vs.length > 0 && this.chance(0.4) ? this.pick(vs).name : null;
  }

  expr(sc: Scope, kind: Kind, depth: number): string {
    const v = this.varOf(sc, kind);
    if (v !== null) return v;
    const leaf = depth <= 0 || this.chance(0.35);
    switch (kind) {
      case 'str':
        return leaf ? this.strLeaf(sc) : this.strCall(sc, depth - 1);
      case 'int':
        return leaf ? this.intLeaf(sc) : this.intCall(sc, depth - 1);
      case 'float':
        return leaf ? this.floatLeaf(sc) : this.floatCall(sc, depth - 1);
      case 'bool':
        return leaf ? this.boolLeaf(sc) : this.boolCall(sc, depth - 1);
      case 'list':
        return leaf ? this.listLeaf(sc) : this.listCall(sc, depth - 1);
      case 'map':
        return leaf ? this.mapLeaf(sc) : this.mapCall(sc, depth - 1);
    }
  }

  any(sc: Scope, depth: number): string {
    return this.expr(sc, this.pick(kinds), depth);
  }

  strLeaf(sc: Scope): string {
    return this.pick([
      () => this.strLit(),
      () => this.root(sc, 's'),
      () => this.root(sc, 't'),
      () => this.root(sc, 'e'),
      () => this.root(sc, 'm.k1'),
      () => `(index ${this.root(sc, 'l')} ${this.int(0, 3)})`,
      () => (this.chance(0.3) ? this.root(sc, 'nope') : this.strLit()),
    ])();
  }

  strCall(sc: Scope, d: number): string {
    const s = (): string => this.expr(sc, 'str', d);
    const i = (): string => this.expr(sc, 'int', d);
    const small = (): string => String(this.int(0, 4));
    const forms: (() => string)[] = [
      () => `(upper ${s()})`,
      () => `(lower ${s()})`,
      () => `(title ${s()})`,
      () => `(trim ${s()})`,
      () => `(trimAll "a" ${s()})`,
      () => `(trimPrefix ${this.strLit()} ${s()})`,
      () => `(trimSuffix ${this.strLit()} ${s()})`,
      () => `(repeat ${small()} ${s()})`,
      () => `(replace "a" "_" ${s()})`,
      () => `(printf "%s-%d|%v" ${s()} ${i()} ${this.any(sc, d)})`,
      () =>
        `(printf ${this.pick(['"%q"', '"%5s|"', '"%-4v|"', '"%x"', '"%T"', '"%.2s"', '"%v"'])} ${this.any(sc, d)})`,
      () => `(print ${this.any(sc, d)} ${this.any(sc, d)})`,
      () => `(quote ${s()})`,
      () => `(squote ${this.any(sc, d)})`,
      () => `(b64enc ${s()})`,
      () => `(b64dec (b64enc ${s()}))`,
      () => `(join ${this.pick(['","', '" "', '""'])} ${this.expr(sc, 'list', d)})`,
      () => `(toString ${this.any(sc, d)})`,
      () => `(cat ${s()} ${this.any(sc, d)})`,
      () => `(substr ${small()} ${String(this.int(-1, 6))} ${s()})`,
      () => `(trunc ${String(this.int(-3, 5))} ${s()})`,
      () => `(nospace ${s()})`,
      () => `(default ${this.strLit()} ${this.any(sc, d)})`,
      () => `(ternary ${s()} ${s()} ${this.expr(sc, 'bool', d)})`,
      () => `(toJson ${this.any(sc, d)})`,
      () => `(sha256sum ${s()})`,
      () => `(abbrev ${String(this.int(3, 8))} ${s()})`,
      () => `(indent ${small()} ${s()})`,
      () => `(nindent ${small()} ${s()})`,
      () => `(wrap ${String(this.int(1, 5))} ${s()})`,
      () => `(kebabcase ${s()})`,
      () => `(snakecase ${s()})`,
      () => `(camelcase ${s()})`,
      () => `(swapcase ${s()})`,
      () => `(initials ${s()})`,
      () => `(plural "one" "many" ${i()})`,
      () => `(regexReplaceAll "[aeiou]+" ${s()} "_")`,
      () =>
        `(${s()} | upper | ${this.pick(['lower', 'quote', 'b64enc', 'trim', 'len | toString'])})`,
      () => `(html ${s()})`,
      () => `(js ${s()})`,
      () => `(urlquery ${s()})`,
      () => `(slice ${s()} 0 ${String(this.int(0, 2))})`,
      () => `(toYaml ${this.any(sc, d)})`,
      () => `(coalesce ${this.root(sc, 'e')} ${s()})`,
    ];
    return this.pick(forms)();
  }

  intLeaf(sc: Scope): string {
    return this.pick([
      () => String(this.int(-5, 20)),
      () => this.root(sc, 'i'),
      () => this.pick(['0', '1', '0x1f', '1_000', '-3', "'a'"]),
    ])();
  }

  intCall(sc: Scope, d: number): string {
    const i = (): string => this.expr(sc, 'int', d);
    const nz = (): string => String(this.pick([1, 2, 3, -4, 7]));
    return this.pick([
      () => `(len ${this.expr(sc, 'str', d)})`,
      () => `(len ${this.expr(sc, 'list', d)})`,
      () => `(add ${i()} ${i()})`,
      () => `(sub ${i()} ${i()})`,
      () => `(mul ${i()} ${i()})`,
      () => `(div ${i()} ${nz()})`,
      () => `(mod ${i()} ${nz()})`,
      () => `(max ${i()} ${i()} ${i()})`,
      () => `(min ${i()} ${i()})`,
      () => `(add1 ${i()})`,
      () => `(atoi ${this.pick(['"12"', '"-3"', '"x"', '""', '" 4"'])})`,
      () => `(int ${this.expr(sc, 'float', d)})`,
      () => `(int64 ${i()})`,
      () => `(${i()} | add 1)`,
    ])();
  }

  floatLeaf(sc: Scope): string {
    return this.pick([
      () => this.pick(['1.5', '-0.25', '2.0', '1e3', '0.1', '3.14159']),
      () => this.root(sc, 'f'),
      () => this.root(sc, 'n'),
    ])();
  }

  floatCall(sc: Scope, d: number): string {
    const f = (): string => this.expr(sc, 'float', d);
    return this.pick([
      () => `(addf ${f()} ${f()})`,
      () => `(subf ${f()} ${f()})`,
      () => `(mulf ${f()} ${f()})`,
      () => `(divf ${f()} ${this.pick(['2', '3', '0.5', '4.0'])})`,
      () => `(round ${f()} ${String(this.int(0, 3))})`,
      () => `(floor ${f()})`,
      () => `(ceil ${f()})`,
      () => `(float64 ${this.expr(sc, 'int', d)})`,
      () => `(maxf ${f()} ${f()})`,
      () => `(minf ${f()} ${f()})`,
    ])();
  }

  boolLeaf(sc: Scope): string {
    return this.pick([() => this.pick(['true', 'false']), () => this.root(sc, 'b')])();
  }

  boolCall(sc: Scope, d: number): string {
    const cmp = this.pick(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
    const k = this.pick<Kind>(['int', 'str', 'float', 'int']);
    return this.pick([
      () => `(${cmp} ${this.expr(sc, k, d)} ${this.expr(sc, k, d)})`,
      () => `(eq ${this.expr(sc, 'int', d)} ${this.expr(sc, 'int', d)} ${this.expr(sc, 'int', d)})`,
      () => `(and ${this.expr(sc, 'bool', d)} ${this.any(sc, d)})`,
      () => `(or ${this.any(sc, d)} ${this.expr(sc, 'bool', d)})`,
      () => `(not ${this.any(sc, d)})`,
      () => `(hasPrefix ${this.strLit()} ${this.expr(sc, 'str', d)})`,
      () => `(contains "a" ${this.expr(sc, 'str', d)})`,
      () => `(empty ${this.any(sc, d)})`,
      () => `(has ${this.expr(sc, 'str', d)} ${this.expr(sc, 'list', d)})`,
      () => `(hasKey ${this.expr(sc, 'map', d)} "k1")`,
      () => `(regexMatch "^[a-c]" ${this.expr(sc, 'str', d)})`,
      () => `(kindIs "string" ${this.any(sc, d)})`,
    ])();
  }

  listLeaf(sc: Scope): string {
    return this.pick([
      () => this.root(sc, 'l'),
      () => this.root(sc, 'nl'),
      () => `(list)`,
      () => `(list ${this.strLit()} ${String(this.int(0, 9))})`,
    ])();
  }

  listCall(sc: Scope, d: number): string {
    const l = (): string => this.expr(sc, 'list', d);
    return this.pick([
      () => `(list ${this.any(sc, d)} ${this.any(sc, d)} ${this.any(sc, d)})`,
      () => `(splitList "," ${this.expr(sc, 'str', d)})`,
      () => `(append ${l()} ${this.any(sc, d)})`,
      () => `(prepend ${l()} ${this.any(sc, d)})`,
      () => `(sortAlpha ${l()})`,
      () => `(uniq ${l()})`,
      () => `(reverse ${l()})`,
      () => `(rest ${l()})`,
      () => `(initial ${l()})`,
      () => `(compact ${l()})`,
      () => `(until ${String(this.int(0, 4))})`,
      () => `(untilStep 0 ${String(this.int(1, 9))} ${String(this.int(1, 3))})`,
      () => `(keys ${this.expr(sc, 'map', d)} | sortAlpha)`,
      () => `(without ${l()} ${this.any(sc, d)})`,
      () => `(concat ${l()} ${l()})`,
      () => `(slice ${l()} 0 ${String(this.int(0, 2))})`,
      () => `(chunk 2 ${l()})`,
      () => `(toStrings ${l()})`,
    ])();
  }

  mapLeaf(sc: Scope): string {
    return this.pick([() => this.root(sc, 'm'), () => `(dict)`, () => this.root(sc, 'nested.a')])();
  }

  mapCall(sc: Scope, d: number): string {
    const m = (): string => this.expr(sc, 'map', d);
    return this.pick([
      () => `(dict "k1" ${this.any(sc, d)} "k2" ${this.any(sc, d)})`,
      // merge writes into its first argument: a fresh dict keeps data acyclic (Go would
      // overflow its stack printing a map that contains itself).
      () => `(merge (dict) ${m()} ${m()})`,
      () => `(pick ${m()} "k1")`,
      () => `(omit ${m()} "k1")`,
      () => `(fromJson ${JSON.stringify(JSON.stringify({ k1: this.word(), k2: this.int(0, 9) }))})`,
      () => `(set (dict) "k1" ${this.any(sc, d)})`,
    ])();
  }

  /** One action or block. */
  stmt(sc: Scope): string {
    const depth = sc.depth;
    const forms: [number, () => string][] = [
      [4, () => this.text()],
      [6, () => this.action(this.any(sc, 2))],
      [2, () => this.action(`${this.any(sc, 1)} | ${this.pipeTail()}`)],
      [2, () => this.declare(sc)],
      [1, () => this.assign(sc)],
      [1, () => `{{/* ${this.word().replace(/\*/g, '')} */}}`],
      [depth < 3 ? 3 : 0, () => this.ifBlock(sc)],
      [depth < 3 ? 2 : 0, () => this.withBlock(sc)],
      [depth < 3 ? 2 : 0, () => this.rangeBlock(sc)],
      [
        sc.inRange ? 1 : 0,
        () => `{{if ${this.expr(sc, 'bool', 1)}}}{{${this.pick(['break', 'continue'])}}}{{end}}`,
      ],
      [
        sc.defines.length > 0 ? 2 : 0,
        () => `{{template ${JSON.stringify(this.pick(sc.defines))} ${this.any(sc, 1)}}}`,
      ],
    ];
    const total = forms.reduce((a, [w]) => a + w, 0);
    let r = this.rnd() * total;
    for (const [w, f] of forms) {
      if ((r -= w) < 0) return f();
    }
    return this.text();
  }

  text(): string {
    return this.pick(['', ' ', '\n', 'x', ' - ', '\n  ', 'é', '[', ']', '\t', ',']);
  }

  pipeTail(): string {
    return this.pick([
      'upper',
      'quote',
      'toString',
      'len',
      'printf "%v!"',
      'toJson',
      'print "p"',
      'default "d"',
      'b64enc',
      'kindOf',
    ]);
  }

  action(body: string): string {
    const l = this.chance(0.2) ? '{{- ' : this.chance(0.5) ? '{{ ' : '{{';
    const r = this.chance(0.2) ? ' -}}' : this.chance(0.5) ? ' }}' : '}}';
    return `${l}${body}${r}`;
  }

  declare(sc: Scope): string {
    const kind = this.pick(kinds);
    const name = `$v${this.varCounter++}`;
    const out = this.action(`${name} := ${this.expr(sc, kind, 2)}`);
    sc.vars.push({ name, kind });
    return out;
  }

  assign(sc: Scope): string {
    if (sc.vars.length === 0) return this.declare(sc);
    const v = this.pick(sc.vars);
    return this.action(`${v.name} = ${this.expr(sc, v.kind, 1)}`);
  }

  body(sc: Scope, n: number): string {
    const inner: Scope = { ...sc, vars: [...sc.vars], depth: sc.depth + 1 };
    let s = '';
    for (let i = 0; i < n; i++) s += this.stmt(inner);
    return s;
  }

  ifBlock(sc: Scope): string {
    let s = `{{if ${this.chance(0.7) ? this.expr(sc, 'bool', 2) : this.any(sc, 1)}}}${this.body(sc, this.int(1, 3))}`;
    if (this.chance(0.3))
      s += `{{else if ${this.expr(sc, 'bool', 1)}}}${this.body(sc, this.int(1, 2))}`;
    if (this.chance(0.5)) s += `{{else}}${this.body(sc, this.int(1, 2))}`;
    return s + '{{end}}';
  }

  withBlock(sc: Scope): string {
    const inner: Scope = { ...sc, dotIsRoot: false };
    const v = this.chance(0.3) ? `$w${this.varCounter++} := ` : '';
    let s = `{{with ${v}${this.any(sc, 1)}}}{{.}}${this.body(inner, this.int(0, 2))}`;
    if (this.chance(0.4)) s += `{{else}}${this.body(sc, 1)}`;
    return s + '{{end}}';
  }

  rangeBlock(sc: Scope): string {
    const inner: Scope = { ...sc, dotIsRoot: false, inRange: true, vars: [...sc.vars] };
    const over = this.chance(0.8)
      ? this.expr(sc, 'list', 1)
      : this.pick([this.expr(sc, 'map', 1), String(this.int(0, 3))]);
    let head = '';
    if (this.chance(0.5)) {
      const i = `$i${this.varCounter++}`;
      const e = `$e${this.varCounter++}`;
      head = `${i}, ${e} := `;
      inner.vars.push({ name: i, kind: 'int' });
    }
    let s = `{{range ${head}${over}}}[{{.}}]${this.body(inner, this.int(0, 2))}`;
    if (this.chance(0.3)) s += `{{else}}${this.body(sc, 1)}`;
    return s + '{{end}}';
  }

  defines(): { text: string; names: string[] } {
    const names: string[] = [];
    let text = '';
    const n = this.chance(0.25) ? this.int(1, 2) : 0;
    for (let i = 0; i < n; i++) {
      const name = `d${i}`;
      const sc: Scope = {
        vars: [],
        dotIsRoot: false,
        inRange: false,
        depth: 2,
        defines: [...names],
      };
      const kw = this.chance(0.2) && i === 0 ? 'block' : 'define';
      const arg = kw === 'block' ? ' .' : '';
      text += `{{${kw} ${JSON.stringify(name)}${arg}}}<{{.}}>${this.body(sc, this.int(0, 2))}{{end}}`;
      names.push(name);
    }
    return { text, names };
  }

  data(): unknown {
    return {
      s: this.word(),
      t: this.word(),
      e: '',
      n: this.int(-3, 12),
      f: this.pick([0.5, -1.25, 3.0, 1e21, 0.1, 100.0]),
      i: { $int: String(this.int(-4, 30)) },
      b: this.chance(0.5),
      l: Array.from({ length: this.int(0, 4) }, () => this.word()),
      nl: Array.from({ length: this.int(0, 3) }, () => this.int(-2, 9)),
      m: { k1: this.word(), k2: this.int(0, 5), k3: null },
      nested: { a: { b: this.word() } },
      z: null,
    };
  }

  template(): string {
    const defs = this.defines();
    const sc: Scope = { vars: [], dotIsRoot: true, inRange: false, depth: 0, defines: defs.names };
    let s = defs.text;
    const n = this.int(1, 6);
    for (let i = 0; i < n; i++) s += this.stmt(sc);
    return s;
  }
}

/** `count` cases from `seed`; ids are `gen:<seed>:<n>`. */
export function generateCases(seed: number, count: number): TemplateCase[] {
  const cases: TemplateCase[] = [];
  for (let n = 0; n < count; n++) {
    // One stream per case: case n is the same whatever count is.
    const g = new Gen(prng((seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0));
    const template = g.template();
    const c: TemplateCase = { id: `gen:${seed}:${n}`, template, data: g.data() };
    const mk: MissingKey | null = g.chance(0.15) ? 'error' : g.chance(0.05) ? 'zero' : null;
    if (mk !== null) c.missingKey = mk;
    cases.push(c);
  }
  return cases;
}
