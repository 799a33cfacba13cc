/** Go's `path` functions (and `path/filepath`, identical on Linux where ESO runs). */
import type { GoFunc } from '../../value.ts';
import { fixed, str } from './args.ts';

/** path.Clean: Go's lexical path simplification. */
export function clean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** path.Base. */
export function base(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** path.Dir. */
export function dir(p: string): string {
  return clean(p.slice(0, p.lastIndexOf('/') + 1));
}

/** path.Ext. */
export function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

/** The path and filepath functions, keyed by template name. */
export function pathFuncs(): [string, GoFunc][] {
  const isAbs = (p: string): boolean => p.startsWith('/');
  return [
    fixed('base', [str], base),
    fixed('dir', [str], dir),
    fixed('clean', [str], clean),
    fixed('ext', [str], ext),
    fixed('isAbs', [str], isAbs),
    fixed('osBase', [str], base),
    fixed('osDir', [str], dir),
    fixed('osClean', [str], clean),
    fixed('osExt', [str], ext),
    fixed('osIsAbs', [str], isAbs),
  ];
}
