/**
 * Executor for parsed Go templates: a port of text/template/exec.go over the value model of
 * value.ts. Values in flight are `Val`s: `undefined` is Go's invalid reflect.Value ("<no value>"),
 * `null` is a nil interface (a nil map or slice element). The current node is tracked exactly
 * where Go's `s.at(node)` does, because error texts name it: `executing "t" at <.a.b>: …`.
 */
import type {
  ArgNode,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  VariableNode,
} from './ast.ts';
import * as ast from './ast.ts';
import type { Builtin } from './builtins.ts';
import * as builtinsModule from './builtins.ts';
import type { Val } from './compare.ts';
import { TemplateError } from './errors.ts';
import * as fmt from './fmt.ts';
import * as gostr from './gostr.ts';
import type { FuncSignature } from './types.ts';
import * as types from './types.ts';
import type { FuncMap, GoFunc, GoTyped as GoTypedValue, GoValue } from './value.ts';
import * as value from './value.ts';

// Bound once: under tsx every use of an imported binding goes through a getter, which costs
// about a tenth of the executor's time in hot paths.
const { N, nodeString } = ast;
const { builtins, isTrue, REFLECT_VALUE } = builtinsModule;
const { formatFloat, formatValue, sprint } = fmt;
const { canonicalGoString, compareGoStrings, goQuote, utf8Length } = gostr;
const {
  assignable,
  canBeNil,
  EMPTY_INTERFACE,
  Kind,
  kindOfType,
  mapElemType,
  methodOf,
  signatureOf,
  typeName,
  zeroValue,
} = types;
const { GoTyped } = value;

export type MissingKey = 'error' | 'default' | 'invalid' | 'zero';

/** Bounds that keep hostile or buggy templates from hanging or exhausting memory. */
export interface ExecLimits {
  /** Nesting of {{template}} calls (Go allows 100000; JS stacks do not). */
  maxTemplateDepth: number;
  /** Output size in UTF-16 code units. */
  maxOutput: number;
  /** Range iterations plus template calls over one execution. */
  maxSteps: number;
}

export const defaultExecLimits: ExecLimits = {
  maxTemplateDepth: 1000,
  maxOutput: 32 * 1024 * 1024,
  maxSteps: 10_000_000,
};

/** What the executor needs from a parsed template. */
export interface Executable {
  readonly name: string;
  readonly parseName: string;
  readonly text: string;
  lookupTree(name: string): ListNode | undefined;
}

export interface ExecConfig {
  funcs: FuncMap | undefined;
  missingKey: MissingKey;
  limits: ExecLimits;
}

/** Go's missingVal: "no final argument from a previous pipeline stage". */
const MISSING: unique symbol = Symbol('missing');
type Final = Val | typeof MISSING;

const WALK_OK = 0;
const WALK_BREAK = 1;
const WALK_CONTINUE = 2;
type WalkResult = 0 | 1 | 2;

interface Variable {
  name: string;
  value: Val;
  /** The value came out of an interface-typed container (affects Go's type names in errors). */
  iface: boolean;
}

const defaultSig: FuncSignature = { params: [EMPTY_INTERFACE], variadic: true };

type Callable = { builtin: Builtin; fn?: undefined } | { builtin?: undefined; fn: GoFunc };

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s);
}

/** Runs `tpl` with `data` as dot; returns the output or throws TemplateError. */
export function executeTemplate(tpl: Executable, data: GoValue, cfg: ExecConfig): string {
  const root = tpl.lookupTree(tpl.name);
  // reflect.ValueOf(nil) is the invalid value, not a nil interface.
  const dot: Val = data === null ? undefined : data;
  const state: State = new State(tpl, cfg, dot);
  if (root === undefined) state.errorf(`${goQuote(tpl.name)} is an incomplete or empty template`);
  state.walk(dot, root);
  return state.out;
}

class State {
  out = '';
  private node: Node | null = null;
  private vars: Variable[];
  private depth = 0;
  private steps = 0;
  private name: string;
  private dotIface = false;
  /** Whether the last evalField/evalCall result came out of an interface-typed slot. */
  private resultIface = false;

  constructor(
    private readonly tpl: Executable,
    private readonly cfg: ExecConfig,
    data: Val,
  ) {
    this.name = tpl.name;
    this.vars = [{ name: '$', value: data, iface: false }];
  }

  // ---- errors -------------------------------------------------------------------------------

  /** Throws Go's error text; `redacted` replaces it where Go would print a data value. */
  errorf(message: string, redacted: string = message): never {
    const n = this.node;
    if (n === null) {
      const prefix = `template: ${this.name}: `;
      throw new TemplateError(prefix + message, {
        templateName: this.name,
        phase: 'exec',
        redactedMessage: prefix + redacted,
      });
    }
    const { line, column } = this.location(n.pos);
    const prefix = `template: ${this.tpl.parseName}:${line}:${column}: executing ${goQuote(this.name)} at <${nodeString(n)}>: `;
    throw new TemplateError(prefix + message, {
      templateName: this.name,
      line,
      column,
      phase: 'exec',
      redactedMessage: prefix + redacted,
    });
  }

  private location(pos: number): { line: number; column: number } {
    const text = this.tpl.text;
    const before = text.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    let line = 1;
    for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
    return { line, column: utf8Length(before.slice(nl + 1)) };
  }

  private at(n: Node): void {
    this.node = n;
  }

  private step(): void {
    if (++this.steps > this.cfg.limits.maxSteps) {
      this.errorf(`execution step limit (${this.cfg.limits.maxSteps}) exceeded`);
    }
  }

  private write(s: string): void {
    this.out += s;
    if (this.out.length > this.cfg.limits.maxOutput) {
      this.errorf(`output exceeds the limit of ${this.cfg.limits.maxOutput} characters`);
    }
  }

  // ---- variables ----------------------------------------------------------------------------

  private push(name: string, value: Val, iface: boolean): void {
    this.vars.push({ name, value, iface });
  }

  private setVar(name: string, value: Val, iface: boolean): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) {
        v.value = value;
        v.iface = iface;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: Val, iface: boolean): void {
    const v = this.vars[this.vars.length - n] as Variable;
    v.value = value;
    v.iface = iface;
  }

  private varLookup(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- walking ------------------------------------------------------------------------------

  walk(dot: Val, node: Node): WalkResult {
    this.at(node);
    switch (node.type) {
      case N.Action: {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return WALK_OK;
      }
      case N.Text:
        this.write(node.text);
        return WALK_OK;
      case N.List:
        for (const n of node.nodes) {
          const r = this.walk(dot, n);
          if (r !== WALK_OK) return r;
        }
        return WALK_OK;
      case N.If:
      case N.With:
        return this.walkIfOrWith(dot, node);
      case N.Range:
        return this.walkRange(dot, node);
      case N.Template:
        this.walkTemplate(dot, node);
        return WALK_OK;
      case N.Break:
        return WALK_BREAK;
      case N.Continue:
        return WALK_CONTINUE;
      case N.Comment:
        return WALK_OK;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(dot: Val, node: BranchNode): WalkResult {
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, node.pipe);
    let r: WalkResult = WALK_OK;
    if (isTrue(val)) {
      if (node.type === N.With) {
        const saved = this.dotIface;
        this.dotIface = false;
        r = this.walk(val, node.list);
        this.dotIface = saved;
      } else r = this.walk(dot, node.list);
    } else if (node.elseList !== null) {
      r = this.walk(dot, node.elseList);
    }
    this.vars.length = mark;
    return r;
  }

  /** A {{continue}} in the else branch belongs to an enclosing range and is passed up. */
  private walkRange(dot: Val, r: BranchNode): WalkResult {
    this.at(r);
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, r.pipe);
    const ran = this.rangeOver(val, r);
    let res: WalkResult = WALK_OK;
    if (!ran && r.elseList !== null) res = this.walk(dot, r.elseList);
    this.vars.length = mark;
    // Go's walkRange recovers a {{break}} from its own else branch: it ends this range only.
    return res === WALK_BREAK ? WALK_OK : res;
  }

  /** Iterates `val`; returns false when there was nothing to iterate (run the else branch). */
  private rangeOver(val: Val, r: BranchNode): boolean {
    if (val === undefined || val === null) return false;
    const it = new RangeIteration(this, r);
    if (typeof val === 'bigint') return this.rangeInt(val, null, r, it);
    if (Array.isArray(val)) return it.overArray(val, true);
    if (val instanceof Uint8Array) return it.overBytes(val);
    if (val instanceof Map) return it.overMap(val, true);
    if (val instanceof GoTyped) return this.rangeTyped(val, r, it);
    this.errorf(
      `range can't iterate over ${sprint([val])}`,
      `range can't iterate over a ${typeName(val)}`,
    );
  }

  private rangeTyped(val: GoTypedValue, r: BranchNode, it: RangeIteration): boolean {
    const k = kindOfType(val.type);
    const inner = val.value;
    if (
      (k === Kind.Int || k === Kind.Uint) &&
      (typeof inner === 'bigint' || typeof inner === 'number')
    ) {
      return this.rangeInt(BigInt(inner), val.type, r, it);
    }
    if ((k === Kind.Slice || k === Kind.Array) && (inner === null || Array.isArray(inner))) {
      const elemIface = kindOfType(val.type.slice(val.type.indexOf(']') + 1)) === Kind.Interface;
      return it.overArray(inner ?? [], elemIface);
    }
    if (k === Kind.Slice && inner instanceof Uint8Array) return it.overBytes(inner);
    if (k === Kind.Map && (inner === null || inner instanceof Map)) {
      return it.overMap(inner ?? new Map(), kindOfType(mapElemType(val.type)) === Kind.Interface);
    }
    this.errorf(
      `range can't iterate over ${sprint([val])}`,
      `range can't iterate over a ${typeName(val)}`,
    );
  }

  private rangeInt(n: bigint, type: string | null, r: BranchNode, it: RangeIteration): boolean {
    const v: GoValue = type === null ? n : new GoTyped(type, n);
    if (r.pipe.decl.length > 1)
      this.errorf(
        `can't use ${sprint([v])} to iterate over more than one variable`,
        `can't use a ${typeName(v)} to iterate over more than one variable`,
      );
    if (n <= 0n) return false;
    const count = Number(n);
    for (let i = 0; i < count; i++) {
      const e: GoValue = type === null ? BigInt(i) : new GoTyped(type, BigInt(i));
      if (!it.one(undefined, e, false)) break;
    }
    return true;
  }

  /** One loop body run; returns false on {{break}}. Used by RangeIteration. */
  iterate(r: BranchNode, mark: number, index: Val, elem: Val, elemIface: boolean): boolean {
    this.step();
    const decl = r.pipe.decl;
    if (decl.length > 0) {
      const first = decl[0] as VariableNode;
      if (r.pipe.isAssign) {
        if (decl.length > 1) this.setVar(first.ident[0] ?? '', index, false);
        else this.setVar(first.ident[0] ?? '', elem, elemIface);
      } else this.setTopVar(1, elem, elemIface);
    }
    if (decl.length > 1) {
      const second = decl[1] as VariableNode;
      if (r.pipe.isAssign) this.setVar(second.ident[0] ?? '', elem, elemIface);
      else this.setTopVar(2, index, false);
    }
    const saved = this.dotIface;
    this.dotIface = elemIface;
    const res = this.walk(elem, r.list);
    this.dotIface = saved;
    this.vars.length = mark;
    return res !== WALK_BREAK;
  }

  varsMark(): number {
    return this.vars.length;
  }

  private walkTemplate(dot: Val, t: TemplateNode): void {
    this.at(t);
    const root = this.tpl.lookupTree(t.name);
    if (root === undefined) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth >= this.cfg.limits.maxTemplateDepth) {
      this.errorf(`exceeded maximum template depth (${this.cfg.limits.maxTemplateDepth})`);
    }
    this.step();
    const newDot = this.evalPipeline(dot, t.pipe);
    const saved = { vars: this.vars, name: this.name, dotIface: this.dotIface };
    this.vars = [{ name: '$', value: newDot, iface: false }];
    this.name = t.name;
    this.dotIface = false;
    this.depth++;
    this.walk(newDot, root);
    this.depth--;
    this.vars = saved.vars;
    this.name = saved.name;
    this.dotIface = saved.dotIface;
  }

  // ---- pipelines and commands ---------------------------------------------------------------

  private evalPipeline(dot: Val, pipe: PipeNode | null): Val {
    if (pipe === null) return undefined;
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // A nil interface becomes the invalid value, as Go's value.Elem() does.
      if (value === null) value = undefined;
    }
    const v = value === MISSING ? undefined : value;
    for (const d of pipe.decl) {
      const name = d.ident[0] ?? '';
      if (pipe.isAssign) this.setVar(name, v, false);
      else this.push(name, v, false);
    }
    return v;
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(args[0] as ArgNode)}`);
    }
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Final): Val {
    const first = cmd.args[0] as ArgNode;
    switch (first.type) {
      case N.Field:
        return this.evalFieldNode(dot, first, cmd.args, final);
      case N.Chain:
        return this.evalChainNode(dot, first, cmd.args, final);
      case N.Identifier:
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case N.Pipe:
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case N.Variable:
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case N.Bool:
        return first.value;
      case N.Dot:
        return dot;
      case N.Nil:
        this.errorf('nil is not a command');
      // falls through: errorf never returns
      case N.Number:
        return this.idealConstant(first);
      case N.String:
        return first.value;
    }
  }

  private idealConstant(c: NumberNode): Val {
    this.at(c);
    if (c.isComplex) return complexValue(c.re, c.im);
    if (c.isFloat && !isHexInt(c.text) && c.text[0] !== "'" && /[.eEpP]/.test(c.text))
      return c.float64;
    if (c.isInt) return c.int64;
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: Val, field: FieldNode, args: ArgNode[] | null, final: Final): Val {
    this.at(field);
    return this.evalFieldChain(dot, dot, this.dotIface, field, field.ident, 0, args, final);
  }

  private evalChainNode(dot: Val, chain: ChainNode, args: ArgNode[] | null, final: Final): Val {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === N.Nil)
      this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    this.resultIface = false;
    const pipe = this.evalArg(dot, null, chain.node);
    const iface = chain.node.type === N.Identifier && this.resultIface;
    return this.evalFieldChain(dot, pipe, iface, chain, chain.field, 0, args, final);
  }

  private evalVariableNode(dot: Val, v: VariableNode, args: ArgNode[] | null, final: Final): Val {
    this.at(v);
    const variable = this.varLookup(v.ident[0] ?? '');
    if (v.ident.length === 1) {
      this.notAFunction(args ?? [v], final);
      return variable.value;
    }
    return this.evalFieldChain(dot, variable.value, variable.iface, v, v.ident, 1, args, final);
  }

  private evalFieldChain(
    dot: Val,
    receiver: Val,
    recvIface: boolean,
    node: Node,
    ident: readonly string[],
    start: number,
    args: ArgNode[] | null,
    final: Final,
  ): Val {
    const n = ident.length;
    let recv = receiver;
    let iface = recvIface;
    for (let i = start; i < n - 1; i++) {
      recv = this.evalField(
        { dot, name: ident[i] ?? '', node, args: null, final: MISSING },
        recv,
        iface,
      );
      iface = this.resultIface;
    }
    return this.evalField({ dot, name: ident[n - 1] ?? '', node, args, final }, recv, iface);
  }

  private evalField(f: FieldAccess, receiver: Val, recvIface: boolean): Val {
    const { name } = f;
    if (receiver === undefined) {
      if (this.cfg.missingKey === 'error')
        this.errorf(`nil data; no entry for key ${goQuote(name)}`);
      this.resultIface = false;
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating ${EMPTY_INTERFACE}.${name}`);
    const hasArgs = (f.args !== null && f.args.length > 1) || f.final !== MISSING;
    if (receiver instanceof Map) return this.mapField(f, receiver, EMPTY_INTERFACE, hasArgs);
    if (receiver instanceof GoTyped) {
      const method = methodOf(receiver, name);
      if (method !== undefined)
        return this.evalCall(f.dot, { fn: method }, f.node, name, f.args, f.final);
      const inner = receiver.value;
      if (receiver.type.startsWith('map[string]') && (inner === null || inner instanceof Map)) {
        return this.mapField(f, inner ?? new Map(), mapElemType(receiver.type), hasArgs);
      }
      if (kindOfType(receiver.type) === Kind.Struct && inner instanceof Map && inner.has(name)) {
        return this.structField(f, inner.get(name) ?? null, hasArgs);
      }
    }
    const typ = recvIface ? EMPTY_INTERFACE : typeName(receiver);
    this.errorf(`can't evaluate field ${name} in type ${typ}`);
  }

  private mapField(
    f: FieldAccess,
    m: ReadonlyMap<string, GoValue>,
    elem: string,
    hasArgs: boolean,
  ): Val {
    if (hasArgs) this.errorf(`${f.name} is not a method but has arguments`);
    const elemIface = elem === EMPTY_INTERFACE;
    this.resultIface = elemIface;
    const result = m.get(f.name);
    if (result !== undefined) return result;
    switch (this.cfg.missingKey) {
      case 'zero':
        return zeroValue(elem);
      case 'error':
        this.errorf(`map has no entry for key ${goQuote(f.name)}`);
      // falls through: errorf never returns
      default:
        this.resultIface = false;
        return undefined;
    }
  }

  /** A field of a struct-like GoTyped; a function-valued field is called like a method. */
  private structField(f: FieldAccess, value: GoValue, hasArgs: boolean): Val {
    if (typeof value === 'function') {
      return this.evalCall(f.dot, { fn: value }, f.node, f.name, f.args, f.final);
    }
    if (hasArgs) this.errorf(`${f.name} has arguments but cannot be invoked as function`);
    this.resultIface = false;
    return value;
  }

  private evalFunction(
    dot: Val,
    node: IdentifierNode,
    cmd: Node,
    args: ArgNode[] | null,
    final: Final,
  ): Val {
    this.at(node);
    const name = node.ident;
    const user = this.cfg.funcs?.get(name);
    if (user !== undefined) return this.evalCall(dot, { fn: user }, cmd, name, args, final);
    const builtin = builtins.get(name);
    if (builtin === undefined) this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, { builtin }, cmd, name, args, final);
  }

  private evalCall(
    dot: Val,
    fun: Callable,
    node: Node,
    name: string,
    args: ArgNode[] | null,
    final: Final,
  ): Val {
    const sig = fun.builtin ? fun.builtin.sig : (signatureOf(fun.fn) ?? defaultSig);
    const numArgs = args === null ? 0 : args.length - 1;
    const numIn = numArgs + (final === MISSING ? 0 : 1);
    const params = sig.params;
    let numFixed = numArgs;
    if (sig.variadic) {
      numFixed = params.length - 1;
      if (numIn < numFixed) {
        this.errorf(
          `wrong number of args for ${name}: want at least ${params.length - 1} got ${numArgs}`,
        );
      }
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }
    if (fun.builtin && (name === 'and' || name === 'or')) return this.andOr(dot, name, args, final);
    const argv: Val[] = new Array<Val>(numIn);
    let i = 0;
    for (; i < numFixed && i < numArgs; i++) {
      argv[i] = this.evalArg(
        dot,
        params[i] ?? EMPTY_INTERFACE,
        (args as ArgNode[])[i + 1] as ArgNode,
      );
    }
    const last = params[params.length - 1] ?? EMPTY_INTERFACE;
    if (sig.variadic) {
      for (; i < numArgs; i++)
        argv[i] = this.evalArg(dot, last, (args as ArgNode[])[i + 1] as ArgNode);
    }
    if (final !== MISSING) {
      const t = sig.variadic && numIn - 1 < numFixed ? (params[numIn - 1] ?? last) : last;
      argv[i] = this.validateType(final, t);
    }
    return this.invoke(fun, { node, name, args, final, argv, sig });
  }

  private invoke(fun: Callable, c: CallSite): Val {
    let argv = c.argv;
    if (fun.builtin && c.name === 'call') {
      const callee =
        c.args !== null && c.args.length > 1
          ? nodeString(c.args[1] as ArgNode)
          : finalString(c.final);
      argv = [callee, ...argv];
    }
    let v: Val;
    try {
      v = fun.builtin ? fun.builtin.fn(argv) : fun.fn(...toGoArgs(argv));
      // Functions may concatenate halves of a character; keep one JS form per Go string.
      if (typeof v === 'string') v = canonicalGoString(v);
    } catch (e) {
      if (e instanceof RangeError && /call stack/i.test(e.message)) throw e;
      this.at(c.node);
      const msg = e instanceof Error ? e.message : String(e);
      // eq/ne print the operands of non-comparable values; everything else names types only.
      const redacted =
        fun.builtin && msg.startsWith('non-comparable') ? 'non-comparable values' : msg;
      this.errorf(`error calling ${c.name}: ${msg}`, `error calling ${c.name}: ${redacted}`);
    }
    if (fun.builtin) {
      this.resultIface = false;
      return v;
    }
    const result = c.sig.result ?? EMPTY_INTERFACE;
    this.resultIface = kindOfType(result) === Kind.Interface;
    return v ?? null;
  }

  private andOr(dot: Val, name: string, args: ArgNode[] | null, final: Final): Val {
    let v: Val = undefined;
    const wantTruth = name === 'or';
    if (args !== null) {
      for (let i = 1; i < args.length; i++) {
        v = this.evalArg(dot, REFLECT_VALUE, args[i] as ArgNode);
        if (isTrue(v) === wantTruth) return v;
      }
    }
    if (final !== MISSING) v = this.validateType(final, REFLECT_VALUE);
    return v;
  }

  private validateType(value: Val, typ: string | null): Val {
    if (typ === null || typ === REFLECT_VALUE) return value;
    if (value === undefined) {
      if (canBeNil(typ)) return zeroValue(typ);
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === EMPTY_INTERFACE || typ === 'any') return value;
    if (value === null)
      this.errorf(`wrong type for value; expected ${typ}; got ${EMPTY_INTERFACE}`);
    if (typeof value === 'string' && typ === 'string') return value;
    const vt = typeName(value);
    if (!assignable(vt, typ)) this.errorf(`wrong type for value; expected ${typ}; got ${vt}`);
    return value;
  }

  private evalArg(dot: Val, typ: string | null, n: ArgNode): Val {
    this.at(n);
    switch (n.type) {
      case N.Dot:
        return this.validateType(dot, typ);
      case N.Nil:
        if (typ === REFLECT_VALUE) return undefined;
        if (typ !== null && canBeNil(typ)) return zeroValue(typ);
        this.errorf(`cannot assign nil to ${typ ?? '<nil>'}`);
      // falls through: errorf never returns
      case N.Field:
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case N.Variable:
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case N.Pipe:
        return this.validateType(this.evalPipeline(dot, n), typ);
      case N.Identifier:
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case N.Chain:
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    return this.evalConstantArg(typ ?? EMPTY_INTERFACE, n);
  }

  private evalConstantArg(typ: string, n: ArgNode): Val {
    if (typ === REFLECT_VALUE || typ === 'any') return this.evalEmptyInterface(n);
    switch (kindOfType(typ)) {
      case Kind.Bool:
        if (n.type === N.Bool) return typed(typ, 'bool', n.value);
        this.errorf(`expected bool; found ${nodeString(n)}`);
      // falls through: errorf never returns
      case Kind.Complex:
        if (n.type === N.Number && n.isComplex) return new GoTyped(typ, [n.re, n.im]);
        this.errorf(`expected complex; found ${nodeString(n)}`);
      // falls through: errorf never returns
      case Kind.Float:
        if (n.type === N.Number && n.isFloat) return typed(typ, 'float64', n.float64);
        this.errorf(`expected float; found ${nodeString(n)}`);
      // falls through: errorf never returns
      case Kind.Int:
        if (n.type === N.Number && n.isInt) return typed(typ, 'int', n.int64);
        this.errorf(`expected integer; found ${nodeString(n)}`);
      // falls through: errorf never returns
      case Kind.Uint:
        if (n.type === N.Number && n.isUint) return new GoTyped(typ, n.uint64);
        this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
      // falls through: errorf never returns
      case Kind.String:
        if (n.type === N.String) return typ === 'string' ? n.value : new GoTyped(typ, n.text);
        this.errorf(`expected string; found ${nodeString(n)}`);
      // falls through: errorf never returns
      case Kind.Interface:
        if (typ === EMPTY_INTERFACE) return this.evalEmptyInterface(n);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ}`);
  }

  private evalEmptyInterface(n: ArgNode): Val {
    this.at(n);
    switch (n.type) {
      case N.Bool:
        return n.value;
      case N.Number:
        return this.idealConstant(n);
      case N.String:
        return n.value;
      case N.Nil:
        this.errorf("evalEmptyInterface: nil (can't happen)");
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  private printValue(n: Node, v: Val): void {
    this.at(n);
    if (v === undefined || v === null) {
      this.write('<no value>');
      return;
    }
    if (typeof v === 'string') {
      this.write(v);
      return;
    }
    if (typeof v === 'function' || (v instanceof GoTyped && kindOfType(v.type) === Kind.Func)) {
      this.errorf(`can't print ${nodeString(n)} of type ${typeName(v)}`);
    }
    this.write(
      v instanceof GoTyped && kindOfType(v.type) === Kind.Complex
        ? formatComplex(v)
        : formatValue(v),
    );
  }
}

interface FieldAccess {
  dot: Val;
  name: string;
  node: Node;
  args: ArgNode[] | null;
  final: Final;
}

interface CallSite {
  node: Node;
  name: string;
  args: ArgNode[] | null;
  final: Final;
  argv: Val[];
  sig: FuncSignature;
}

/** Functions see a missing value as nil; argv is ours, so convert in place. */
function toGoArgs(argv: Val[]): GoValue[] {
  for (let i = 0; i < argv.length; i++) if (argv[i] === undefined) argv[i] = null;
  return argv as GoValue[];
}

/** A complex128 constant: the value model has no complex type, so it is a typed [re, im] pair. */
function complexValue(re: number, im: number): GoValue {
  return new GoTyped('complex128', [re, im]);
}

/** fmt's %v of a complex number: `(1+2i)`. */
function formatComplex(v: GoTypedValue): string {
  const parts = Array.isArray(v.value) ? v.value : [];
  const part = (x: GoValue | undefined): string =>
    formatFloat(typeof x === 'number' ? x : 0, 'g', -1);
  const im = part(parts[1]);
  return `(${part(parts[0])}${im.startsWith('-') ? '' : '+'}${im}i)`;
}

function typed(typ: string, plain: string, v: GoValue): GoValue {
  return typ === plain ? v : new GoTyped(typ, v);
}

/** reflect.Value.String() of the piped value, as Go names the callee of `call`. */
function finalString(v: Final): string {
  if (v === MISSING || v === undefined) return '<invalid Value>';
  if (typeof v === 'string') return v;
  return `<${v === null ? EMPTY_INTERFACE : typeName(v)} Value>`;
}

/** Loop bodies of one range action over arrays, bytes and maps. */
class RangeIteration {
  private readonly mark: number;

  constructor(
    private readonly s: State,
    private readonly r: BranchNode,
  ) {
    this.mark = s.varsMark();
  }

  one(index: Val, elem: Val, elemIface: boolean): boolean {
    return this.s.iterate(this.r, this.mark, index, elem, elemIface);
  }

  overArray(items: readonly GoValue[], elemIface: boolean): boolean {
    if (items.length === 0) return false;
    for (let i = 0; i < items.length; i++) {
      if (!this.one(BigInt(i), items[i] ?? null, elemIface)) break;
    }
    return true;
  }

  overBytes(items: Uint8Array): boolean {
    if (items.length === 0) return false;
    for (let i = 0; i < items.length; i++) {
      if (!this.one(BigInt(i), new GoTyped('uint8', BigInt(items[i] ?? 0)), false)) break;
    }
    return true;
  }

  overMap(m: ReadonlyMap<string, GoValue>, elemIface: boolean): boolean {
    if (m.size === 0) return false;
    const keys = [...m.keys()].sort(compareGoStrings);
    for (const k of keys) {
      if (!this.one(k, m.get(k) ?? null, elemIface)) break;
    }
    return true;
  }
}
