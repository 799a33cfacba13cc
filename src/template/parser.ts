/**
 * Parser for Go text/template: a port of text/template/parse/parse.go. The three-token lookahead
 * is kept as in Go because parse errors report the line of the most recently lexed token.
 */
import type {
  ArgNode,
  BranchNode,
  CommandNode,
  DelimiterNode,
  ListNode,
  Node,
  PipeNode,
  StringNode,
  TemplateNode,
  Tree,
  VariableNode,
} from './ast.ts';
import { N as nodeTypes, nodeString } from './ast.ts';
import { goQuote, isUnicodeSpace, SyntaxError as GoSyntaxError, unquote } from './gostr.ts';
import type { Item, ItemType } from './lexer.ts';
import { itemString, Lexer, T as tokenTypes } from './lexer.ts';
import { newNumber, NumberSyntaxError } from './number.ts';

// Local aliases: module-namespace getters (tsx's interop) are slow in hot paths.
const N = nodeTypes;

/** Raised inside the parser; converted to TemplateError by parse(). Carries Go's message. */
export class ParseFailure extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly pos: number,
  ) {
    super(message);
  }
}

export interface ParseConfig {
  /** Name of the top-level template, used in error messages. */
  name: string;
  leftDelim: string;
  rightDelim: string;
  /** Reports whether a function name is defined (user functions or builtins). */
  hasFunction: (name: string) => boolean;
  /** Maximum nesting of parentheses and control blocks. */
  maxDepth: number;
}

interface Shared {
  cfg: ParseConfig;
  lex: Lexer;
  treeSet: Map<string, Tree>;
  depth: number;
}

// A local alias: module-namespace getters (tsx's interop) are slow in the hot loop.
const T = tokenTypes;

const emptyItem: Item = { typ: T.EOF, pos: 0, val: '', line: 0 };

/** Parses `text` into a set of named trees (the main template plus every define/block). */
export function parseTrees(text: string, cfg: ParseConfig): Map<string, Tree> {
  const lex = new Lexer(text, cfg.leftDelim || '{{', cfg.rightDelim || '}}');
  lex.options = { breakOK: !cfg.hasFunction('break'), continueOK: !cfg.hasFunction('continue') };
  const shared: Shared = { cfg, lex, treeSet: new Map(), depth: 0 };
  const p = new TreeParser(cfg.name, shared);
  p.parseMain();
  return shared.treeSet;
}

/** parse.IsEmptyTree. */
export function isEmptyTree(n: Node): boolean {
  switch (n.type) {
    case N.Comment:
      return true;
    case N.List:
      return n.nodes.every(isEmptyTree);
    case N.Text:
      return Array.from(n.text).every((c) => isUnicodeSpace(c.codePointAt(0) ?? 0));
    default:
      return false;
  }
}

class TreeParser {
  private readonly token: [Item, Item, Item] = [emptyItem, emptyItem, emptyItem];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;
  root: ListNode = { type: N.List, pos: 0, nodes: [] };

  constructor(
    private name: string,
    private readonly s: Shared,
  ) {}

  // ---- token buffer -------------------------------------------------------------------------

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.s.lex.nextItem();
    return this.token[this.peekCount] as Item;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1] as Item;
    this.peekCount = 1;
    this.token[0] = this.s.lex.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): Item {
    let token: Item;
    do token = this.next();
    while (token.typ === T.Space);
    return token;
  }

  private peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // ---- errors -------------------------------------------------------------------------------

  private errorf(message: string): never {
    const t0 = this.token[0];
    throw new ParseFailure(`template: ${this.s.cfg.name}:${t0.line}: ${message}`, t0.line, t0.pos);
  }

  private expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Item, context: string): never {
    if (token.typ === T.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.s.cfg.name}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  private unquoteOrFail(val: string): string {
    try {
      return unquote(val);
    } catch (e) {
      if (e instanceof GoSyntaxError) this.errorf(e.message);
      throw e;
    }
  }

  private enter(): void {
    if (++this.s.depth > this.s.cfg.maxDepth) this.errorf('max expression depth exceeded');
  }

  private leave(): void {
    this.s.depth--;
  }

  // ---- trees --------------------------------------------------------------------------------

  parseMain(): void {
    this.root = this.newList(this.peek().pos);
    while (this.peek().typ !== T.EOF) {
      if (this.peek().typ === T.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === T.Define) {
          const def = new TreeParser('definition', this.s);
          def.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === N.End || n.type === N.Else) this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
    this.add();
  }

  private add(): void {
    const existing = this.s.treeSet.get(this.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.s.treeSet.set(this.name, { name: this.name, root: this.root });
      return;
    }
    if (!isEmptyTree(this.root))
      this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const token = this.nextNonSpace();
    if (token.typ !== T.String && token.typ !== T.RawString) this.unexpected(token, context);
    this.name = this.unquoteOrFail(token.val);
    this.expect(T.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== N.End) this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private newList(pos: number): ListNode {
    return { type: N.List, pos, nodes: [] };
  }

  private itemList(): [ListNode, DelimiterNode] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== T.EOF) {
      const n = this.textOrAction();
      if (n.type === N.End || n.type === N.Else) return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Text:
        return { type: N.Text, pos: token.pos, text: token.val };
      case T.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case T.Comment:
        return { type: N.Comment, pos: token.pos, text: token.val };
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Block:
        return this.blockControl();
      case T.Break:
      case T.Continue:
        return this.loopControl(token);
      case T.Else:
        return this.elseControl();
      case T.End:
        return { type: N.End, pos: this.expect(T.RightDelim, 'end').pos, line: 0 };
      case T.If:
      case T.Range:
      case T.With:
        return this.branchControl(token.typ);
      case T.Template:
        return this.templateControl();
    }
    this.backup();
    const t = this.peek();
    return {
      type: N.Action,
      pos: t.pos,
      line: t.line,
      pipe: this.pipeline('command', T.RightDelim),
    };
  }

  private loopControl(token: Item): Node {
    const word = token.typ === T.Break ? 'break' : 'continue';
    const next = this.nextNonSpace();
    if (next.typ !== T.RightDelim) this.unexpected(next, `{{${word}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`);
    return { type: token.typ === T.Break ? N.Break : N.Continue, pos: token.pos, line: token.line };
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.typ === T.If || peek.typ === T.With)
      return { type: N.Else, pos: peek.pos, line: peek.line };
    const token = this.expect(T.RightDelim, 'else');
    return { type: N.Else, pos: token.pos, line: token.line };
  }

  // ---- pipelines ----------------------------------------------------------------------------

  private pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = {
      type: N.Pipe,
      pos: token.pos,
      line: token.line,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    this.declarations(pipe, context);
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case T.Bool:
        case T.CharConstant:
        case T.Complex:
        case T.Dot:
        case T.Field:
        case T.Identifier:
        case T.Number:
        case T.Nil:
        case T.RawString:
        case T.String:
        case T.Variable:
        case T.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== T.Variable) return;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === T.Assign || next.typ === T.Declare) {
        pipe.isAssign = next.typ === T.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        return;
      }
      if (next.typ === T.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      if (tokenAfterVariable.typ === T.Space) this.backup3(v, tokenAfterVariable);
      else this.backup2(v);
      return;
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const first = pipe.cmds[i]?.args[0];
      switch (first?.type) {
        case N.Bool:
        case N.Dot:
        case N.Nil:
        case N.Number:
        case N.String:
          this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private branchControl(typ: ItemType): Node {
    const context = typ === T.If ? 'if' : typ === T.Range ? 'range' : 'with';
    const nodeType = typ === T.If ? N.If : typ === T.Range ? N.Range : N.With;
    const mark = this.vars.length;
    this.enter();
    try {
      const pipe = this.pipeline(context, T.RightDelim);
      if (context === 'range') this.rangeDepth++;
      const [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === N.Else) elseList = this.elseBranch(context, next);
      const node: BranchNode = {
        type: nodeType,
        pos: pipe.pos,
        line: pipe.line,
        pipe,
        list,
        elseList,
      };
      return node;
    } finally {
      this.vars.length = mark;
      this.leave();
    }
  }

  private elseBranch(context: string, elseNode: DelimiterNode): ListNode {
    const peekTyp = this.peek().typ;
    if ((context === 'if' && peekTyp === T.If) || (context === 'with' && peekTyp === T.With)) {
      this.next();
      const list = this.newList(elseNode.pos);
      list.nodes.push(this.branchControl(peekTyp));
      return list;
    }
    const [list, next] = this.itemList();
    if (next.type !== N.End) this.errorf(`expected end; found ${nodeString(next)}`);
    return list;
  }

  private blockControl(): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, T.RightDelim);
    const block = new TreeParser(name, this.s);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== N.End) this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    const node: TemplateNode = { type: N.Template, pos: token.pos, line: token.line, name, pipe };
    return node;
  }

  private templateControl(): Node {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    const node: TemplateNode = { type: N.Template, pos: token.pos, line: token.line, name, pipe };
    return node;
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.typ === T.String || token.typ === T.RawString) return this.unquoteOrFail(token.val);
    this.unexpected(token, context);
  }

  // ---- commands and operands ----------------------------------------------------------------

  private command(): CommandNode {
    const cmd: CommandNode = { type: N.Command, pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === T.Space) continue;
      if (token.typ === T.RightDelim || token.typ === T.RightParen) this.backup();
      else if (token.typ !== T.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().typ !== T.Field) return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().typ === T.Field) fields.push(this.next().val.slice(1));
    switch (node.type) {
      case N.Field:
        return { type: N.Field, pos, ident: [...node.ident, ...fields] };
      case N.Variable:
        return { type: N.Variable, pos, ident: [...node.ident, ...fields] };
      case N.Bool:
      case N.String:
      case N.Number:
      case N.Nil:
      case N.Dot:
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
      // falls through: errorf never returns
      default:
        return { type: N.Chain, pos, node, field: fields };
    }
  }

  private term(): ArgNode | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Identifier:
        if (!this.s.cfg.hasFunction(token.val))
          this.errorf(`function ${goQuote(token.val)} not defined`);
        return { type: N.Identifier, pos: token.pos, ident: token.val };
      case T.Dot:
        return { type: N.Dot, pos: token.pos };
      case T.Nil:
        return { type: N.Nil, pos: token.pos };
      case T.Variable:
        return this.useVar(token.pos, token.val);
      case T.Field:
        return { type: N.Field, pos: token.pos, ident: token.val.slice(1).split('.') };
      case T.Bool:
        return { type: N.Bool, pos: token.pos, value: token.val === 'true' };
      case T.CharConstant:
      case T.Complex:
      case T.Number:
        return this.number(token);
      case T.LeftParen: {
        this.enter();
        try {
          return this.pipeline('parenthesized pipeline', T.RightParen);
        } finally {
          this.leave();
        }
      }
      case T.String:
      case T.RawString:
        return this.stringNode(token);
    }
    this.backup();
    return null;
  }

  private stringNode(token: Item): StringNode {
    const v = this.unquoteOrFail(token.val);
    return { type: N.String, pos: token.pos, quoted: token.val, text: v, value: v };
  }

  private number(token: Item): ArgNode {
    try {
      return newNumber(token.pos, token.val, token.typ === T.CharConstant, token.typ === T.Complex);
    } catch (e) {
      if (e instanceof NumberSyntaxError || e instanceof GoSyntaxError) this.errorf(e.message);
      throw e;
    }
  }

  private newVariable(pos: number, ident: string): VariableNode {
    return { type: N.Variable, pos, ident: ident.split('.') };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    const first = v.ident[0] ?? '';
    if (!this.vars.includes(first)) this.errorf(`undefined variable ${goQuote(first)}`);
    return v;
  }
}
