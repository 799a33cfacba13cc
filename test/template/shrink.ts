/**
 * Delta debugging for differing cases: shrink a template (first whole actions and text runs,
 * then the tokens inside each action, then parenthesised sub-expressions) and its data while
 * the two engines still disagree in the same way.
 */
import type { TemplateCase } from './oracle.ts';

export type StillDiffers = (c: TemplateCase) => Promise<boolean>;

interface Budget {
  left: number;
}

/** Splits a template into text runs and `{{…}}` actions (quotes and comments respected). */
export function segments(text: string, left = '{{', right = '}}'): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf(left, i);
    if (start < 0) {
      out.push(text.slice(i));
      break;
    }
    if (start > i) out.push(text.slice(i, start));
    const end = actionEnd(text, start + left.length, right);
    out.push(text.slice(start, end));
    i = end;
  }
  return out;
}

function actionEnd(text: string, from: number, right: string): number {
  let quote: string | null = null;
  for (let j = from; j < text.length; j++) {
    const ch = text[j]!;
    if (quote !== null) {
      if (ch === '\\' && quote !== '`') j++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === '`' || ch === "'") quote = ch;
    else if (text.startsWith(right, j)) return j + right.length;
  }
  return text.length;
}

/** Splits an action body into space-separated tokens, keeping quoted strings and parens whole. */
export function tokens(body: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quote: string | null = null;
  for (let j = 0; j < body.length; j++) {
    const ch = body[j]!;
    cur += ch;
    if (quote !== null) {
      if (ch === '\\' && quote !== '`' && j + 1 < body.length) cur += body[++j]!;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === '`' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (/\s/.test(ch) && depth === 0) {
      if (cur.trim() !== '') out.push(cur.trim());
      cur = '';
    }
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/** Classic ddmin over a list: the smallest sublist (1-minimal) for which `test` holds. */
async function ddmin<T>(
  items: T[],
  test: (xs: T[]) => Promise<boolean>,
  budget: Budget,
): Promise<T[]> {
  let cur = items;
  let n = 2;
  while (cur.length >= 2 && budget.left > 0) {
    const size = Math.ceil(cur.length / n);
    let reduced = false;
    for (let i = 0; i < cur.length && budget.left > 0; i += size) {
      const complement = [...cur.slice(0, i), ...cur.slice(i + size)];
      budget.left--;
      if (complement.length > 0 && (await test(complement))) {
        cur = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= cur.length) break;
      n = Math.min(n * 2, cur.length);
    }
  }
  return cur;
}

const opener = /^(if|with|range|define|block)\b/;

function keyword(seg: string, left: string, right: string): string {
  if (!seg.startsWith(left)) return '';
  const end = seg.endsWith(right) ? seg.length - right.length : seg.length;
  return seg.slice(left.length, end).replace(/^-\s/, '').trim();
}

/** Index of the `end` closing the block opened at `open`, or -1. */
function matchingEnd(segs: string[], open: number, left: string, right: string): number {
  let depth = 0;
  for (let k = open; k < segs.length; k++) {
    const kw = keyword(segs[k]!, left, right);
    if (opener.test(kw)) depth++;
    else if (/^end\b/.test(kw) && --depth === 0) return k;
  }
  return -1;
}

/** Whole blocks first: drop `{{if}}…{{end}}` at once, or keep only its body. */
async function shrinkBlocks(
  c: TemplateCase,
  segs: string[],
  still: StillDiffers,
  budget: Budget,
): Promise<string[]> {
  const left = c.leftDelim || '{{';
  const right = c.rightDelim || '}}';
  let cur = segs;
  for (let k = 0; k < cur.length && budget.left > 0; k++) {
    if (!opener.test(keyword(cur[k]!, left, right))) continue;
    const end = matchingEnd(cur, k, left, right);
    if (end < 0) continue;
    const without = [...cur.slice(0, k), ...cur.slice(end + 1)];
    const body = cur.slice(k + 1, end).filter((x) => !/^else\b/.test(keyword(x, left, right)));
    const unwrapped = [...cur.slice(0, k), ...body, ...cur.slice(end + 1)];
    for (const candidate of [without, unwrapped]) {
      if (budget.left-- <= 0) break;
      if (await still({ ...c, template: candidate.join('') })) {
        cur = candidate;
        k--;
        break;
      }
    }
  }
  return cur;
}

async function shrinkActions(
  c: TemplateCase,
  still: StillDiffers,
  budget: Budget,
): Promise<TemplateCase> {
  const left = c.leftDelim || '{{';
  const right = c.rightDelim || '}}';
  const segs = await shrinkBlocks(c, segments(c.template, left, right), still, budget);
  const kept = await ddmin(segs, (xs) => still({ ...c, template: xs.join('') }), budget);
  let best: TemplateCase = { ...c, template: kept.join('') };
  // Inside each action: drop tokens, then replace "(expr)" by its inner expression.
  const parts = [...kept];
  for (let k = 0; k < parts.length && budget.left > 0; k++) {
    const seg = parts[k]!;
    if (!seg.startsWith(left)) continue;
    const bodyStart = left.length;
    const bodyEnd = seg.endsWith(right) ? seg.length - right.length : seg.length;
    const body = seg.slice(bodyStart, bodyEnd);
    const build = (b: string): string =>
      [...parts.slice(0, k), `${left}${b}${right}`, ...parts.slice(k + 1)].join('');
    const all = tokens(body);
    const toks = await ddmin(all, (xs) => still({ ...c, template: build(xs.join(' ')) }), budget);
    // Only a reduced token list was verified; otherwise keep the body byte for byte.
    let newBody = toks.length < all.length ? toks.join(' ') : body;
    newBody = await unwrapParens(newBody, (b) => still({ ...c, template: build(b) }), budget);
    parts[k] = `${left}${newBody}${right}`;
    best = { ...c, template: parts.join('') };
  }
  return best;
}

async function unwrapParens(
  body: string,
  test: (b: string) => Promise<boolean>,
  budget: Budget,
): Promise<string> {
  let cur = body;
  for (let changed = true; changed && budget.left > 0;) {
    changed = false;
    const groups = [...cur.matchAll(/\(([^()"`']*)\)/g)];
    for (const g of groups) {
      if (budget.left-- <= 0) break;
      const candidate = cur.slice(0, g.index) + g[1]! + cur.slice(g.index + g[0].length);
      if (candidate !== cur && (await test(candidate))) {
        cur = candidate;
        changed = true;
        break;
      }
    }
  }
  return cur;
}

async function shrinkData(
  c: TemplateCase,
  still: StillDiffers,
  budget: Budget,
): Promise<TemplateCase> {
  if (c.data === null || typeof c.data !== 'object' || Array.isArray(c.data)) return c;
  const obj = c.data as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 0) return c;
  const pickKeys = (ks: string[]): Record<string, unknown> =>
    Object.fromEntries(ks.map((k) => [k, obj[k]]));
  if (budget.left-- > 0 && (await still({ ...c, data: {} }))) return { ...c, data: {} };
  const kept = await ddmin(keys, (ks) => still({ ...c, data: pickKeys(ks) }), budget);
  return { ...c, data: pickKeys(kept) };
}

/** A smaller case on which the engines still disagree (never larger than the input). */
export async function shrinkCase(
  c: TemplateCase,
  still: StillDiffers,
  maxTests = 400,
): Promise<TemplateCase> {
  const budget: Budget = { left: maxTests };
  let cur = await shrinkActions(c, still, budget);
  cur = await shrinkData(cur, still, budget);
  return cur;
}
