/**
 * Parse tree of a Go text/template, shaped like Go's text/template/parse nodes so the executor
 * can mirror exec.go, and printed like Go's Node.String() for error contexts (`at <.a.b>`).
 * Positions are UTF-16 offsets into the template text; errors convert them to Go's byte columns.
 */
import { goQuote } from './gostr.ts';
import type { GoValue } from './value.ts';

export const N = {
  Text: 0,
  Action: 1,
  Bool: 2,
  Chain: 3,
  Command: 4,
  Dot: 5,
  Else: 6,
  End: 7,
  Field: 8,
  Identifier: 9,
  If: 10,
  List: 11,
  Nil: 12,
  Number: 13,
  Pipe: 14,
  Range: 15,
  String: 16,
  Template: 17,
  Variable: 18,
  With: 19,
  Comment: 20,
  Break: 21,
  Continue: 22,
} as const;

export interface TextNode {
  type: typeof N.Text;
  pos: number;
  text: string;
}
export interface CommentNode {
  type: typeof N.Comment;
  pos: number;
  text: string;
}
export interface ActionNode {
  type: typeof N.Action;
  pos: number;
  line: number;
  pipe: PipeNode;
}
export interface PipeNode {
  type: typeof N.Pipe;
  pos: number;
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode {
  type: typeof N.Command;
  pos: number;
  args: ArgNode[];
}
export interface IdentifierNode {
  type: typeof N.Identifier;
  pos: number;
  ident: string;
}
export interface VariableNode {
  type: typeof N.Variable;
  pos: number;
  ident: string[];
}
export interface DotNode {
  type: typeof N.Dot;
  pos: number;
}
export interface NilNode {
  type: typeof N.Nil;
  pos: number;
}
export interface FieldNode {
  type: typeof N.Field;
  pos: number;
  ident: string[];
}
export interface ChainNode {
  type: typeof N.Chain;
  pos: number;
  node: ArgNode;
  field: string[];
}
export interface BoolNode {
  type: typeof N.Bool;
  pos: number;
  value: boolean;
}
export interface NumberNode {
  type: typeof N.Number;
  pos: number;
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  /** Real and imaginary parts of a complex constant (`1+2i`, `3i`). */
  re: number;
  im: number;
  int64: bigint;
  uint64: bigint;
  float64: number;
}
export interface StringNode {
  type: typeof N.String;
  pos: number;
  quoted: string;
  /** The constant's value, same as `text` (non-UTF-8 bytes escaped as gostr.ts describes). */
  value: GoValue;
  text: string;
}
export interface BranchNode {
  type: typeof N.If | typeof N.Range | typeof N.With;
  pos: number;
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export interface ListNode {
  type: typeof N.List;
  pos: number;
  nodes: Node[];
}
export interface TemplateNode {
  type: typeof N.Template;
  pos: number;
  line: number;
  name: string;
  pipe: PipeNode | null;
}
export interface LoopControlNode {
  type: typeof N.Break | typeof N.Continue;
  pos: number;
  line: number;
}
/** `{{else}}` / `{{end}}`: returned by the parser's item list, never kept in a tree. */
export interface DelimiterNode {
  type: typeof N.Else | typeof N.End;
  pos: number;
  line: number;
}

/** Nodes that can be an argument of a command. */
export type ArgNode =
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export type Node =
  | TextNode
  | CommentNode
  | ActionNode
  | CommandNode
  | BranchNode
  | ListNode
  | TemplateNode
  | LoopControlNode
  | DelimiterNode
  | ArgNode;

/** One parsed template (Go's parse.Tree). */
export interface Tree {
  name: string;
  root: ListNode;
}

/** Node.String() exactly as Go prints it. */
export function nodeString(n: Node): string {
  const parts: string[] = [];
  writeNode(n, parts);
  return parts.join('');
}

function writePipe(p: PipeNode, out: string[]): void {
  if (p.decl.length > 0) {
    p.decl.forEach((v, i) => {
      if (i > 0) out.push(', ');
      out.push(v.ident.join('.'));
    });
    out.push(p.isAssign ? ' = ' : ' := ');
  }
  p.cmds.forEach((c, i) => {
    if (i > 0) out.push(' | ');
    writeCommand(c, out);
  });
}

function writeCommand(c: CommandNode, out: string[]): void {
  c.args.forEach((a, i) => {
    if (i > 0) out.push(' ');
    if (a.type === N.Pipe) {
      out.push('(');
      writePipe(a, out);
      out.push(')');
    } else writeNode(a, out);
  });
}

function writeBranch(b: BranchNode, out: string[]): void {
  const name = b.type === N.If ? 'if' : b.type === N.Range ? 'range' : 'with';
  out.push('{{', name, ' ');
  writePipe(b.pipe, out);
  out.push('}}');
  writeNode(b.list, out);
  if (b.elseList) {
    out.push('{{else}}');
    writeNode(b.elseList, out);
  }
  out.push('{{end}}');
}

function writeChain(c: ChainNode, out: string[]): void {
  if (c.node.type === N.Pipe) {
    out.push('(');
    writePipe(c.node, out);
    out.push(')');
  } else writeNode(c.node, out);
  for (const f of c.field) out.push('.', f);
}

function writeNode(n: Node, out: string[]): void {
  switch (n.type) {
    case N.Text:
      out.push(n.text);
      return;
    case N.Comment:
      out.push('{{', n.text, '}}');
      return;
    case N.Action:
      out.push('{{');
      writePipe(n.pipe, out);
      out.push('}}');
      return;
    case N.Pipe:
      writePipe(n, out);
      return;
    case N.Command:
      writeCommand(n, out);
      return;
    case N.If:
    case N.Range:
    case N.With:
      writeBranch(n, out);
      return;
    case N.List:
      for (const c of n.nodes) writeNode(c, out);
      return;
    case N.Chain:
      writeChain(n, out);
      return;
    default:
      out.push(leafString(n));
  }
}

function leafString(
  n: Exclude<
    Node,
    PipeNode | CommandNode | BranchNode | ListNode | ChainNode | ActionNode | TextNode | CommentNode
  >,
): string {
  switch (n.type) {
    case N.Identifier:
      return n.ident;
    case N.Variable:
      return n.ident.join('.');
    case N.Field:
      return '.' + n.ident.join('.');
    case N.Dot:
      return '.';
    case N.Nil:
      return 'nil';
    case N.Bool:
      return n.value ? 'true' : 'false';
    case N.Number:
      return n.text;
    case N.String:
      return n.quoted;
    case N.Template:
      return '{{template ' + goQuote(n.name) + (n.pipe ? ' ' + nodeString(n.pipe) : '') + '}}';
    case N.Break:
      return '{{break}}';
    case N.Continue:
      return '{{continue}}';
    case N.Else:
      return '{{else}}';
    case N.End:
      return '{{end}}';
  }
}
