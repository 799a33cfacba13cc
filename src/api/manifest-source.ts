import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node, ParsedNode } from 'yaml';
import type { Segments } from './issues.ts';

/** A 1-based position in a source file. */
export interface Position {
  line: number;
  col: number;
}

/** One object read from a YAML stream, with a way back from field paths to source positions. */
export interface SourceObject {
  /** 0-based index of the YAML document in the stream. */
  documentIndex: number;
  object: unknown;
  /** Where the object itself starts. */
  position: Position;
  /** The position of the field at `segments` (or of its nearest existing ancestor). */
  locate(segments: Segments): Position;
}

/** A YAML syntax error, with its position. */
export interface SourceError {
  documentIndex: number;
  position: Position;
  message: string;
}

export interface ParsedSource {
  objects: SourceObject[];
  errors: SourceError[];
}

type AnyNode = Node | ParsedNode | null | undefined;

function startOf(node: AnyNode): number | undefined {
  return node?.range?.[0];
}

function child(
  doc: Document,
  node: AnyNode,
  seg: string | number,
): { node: AnyNode; keyOffset?: number } | undefined {
  const target =
    node && 'resolve' in node && typeof node.resolve === 'function'
      ? (node.resolve(doc) as AnyNode)
      : node;
  if (isMap(target)) {
    const pair = target.items.find(
      (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
    );
    if (!pair) return undefined;
    return { node: pair.value as AnyNode, keyOffset: startOf(pair.key as AnyNode) };
  }
  if (isSeq(target) && typeof seg === 'number') {
    const item = target.items[seg] as AnyNode;
    return item ? { node: item } : undefined;
  }
  return undefined;
}

function locator(
  doc: Document,
  root: AnyNode,
  lines: LineCounter,
): (segments: Segments) => Position {
  const toPos = (offset: number | undefined): Position => {
    const p = lines.linePos(offset ?? 0);
    return { line: p.line, col: p.col };
  };
  return (segments) => {
    let node = root;
    let best = startOf(root);
    for (const seg of segments) {
      const next = child(doc, node, seg);
      if (!next) break;
      node = next.node;
      best = next.keyOffset ?? startOf(node) ?? best;
    }
    return toPos(best);
  };
}

/**
 * Parses a multi-document YAML (or JSON) text. Each non-empty document becomes one object; a
 * document of `kind: List` contributes its items. Positions are 1-based lines and columns.
 */
export function parseManifests(text: string): ParsedSource {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: SourceObject[] = [];
  const errors: SourceError[] = [];
  list.forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) {
      // Later errors in a broken document are mostly echoes of the first one.
      const first = doc.errors[0];
      if (first) {
        const p = lines.linePos(first.pos[0]);
        errors.push({
          documentIndex,
          position: { line: p.line, col: p.col },
          message: first.message.split('\n')[0] ?? first.message,
        });
      }
      return;
    }
    if (doc.contents === null) return;
    const object: unknown = doc.toJS({ maxAliasCount: 100 });
    if (object === null || object === undefined) return;
    const locate = locator(doc, doc.contents, lines);
    const items = listItems(object);
    if (items) {
      items.forEach((item, i) => {
        objects.push({
          documentIndex,
          object: item,
          position: locate(['items', i]),
          locate: (segments) => locate(['items', i, ...segments]),
        });
      });
      return;
    }
    objects.push({ documentIndex, object, position: locate([]), locate });
  });
  return { objects, errors };
}

function listItems(object: unknown): unknown[] | undefined {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return undefined;
  const { kind, items } = object as { kind?: unknown; items?: unknown };
  return kind === 'List' && Array.isArray(items) ? items : undefined;
}
