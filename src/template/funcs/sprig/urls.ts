/** Sprig's url.go over a port of the parts of Go's net/url it reaches. */
import { FuncError, type GoFunc, type GoValue } from '../../value.ts';
import { dictArg, fixed, goKindName, str, unwrap } from './args.ts';

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

type Mode = 'path' | 'host' | 'user' | 'fragment';

function shouldEscape(c: string, mode: Mode): boolean {
  if (UNRESERVED.test(c)) return false;
  if (mode === 'host' && `!$&'()*+,;=:[]<>"`.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    if (mode === 'path') return c === '?';
    if (mode === 'user') return '@/?:'.includes(c);
    return false;
  }
  return !(mode === 'fragment' && '!()*'.includes(c));
}

function escape(s: string, mode: Mode): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out +=
      b < 0x80 && !shouldEscape(c, mode) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function unescape(s: string, what: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(h)) {
        throw new FuncError(
          `unable to parse url: parse ${JSON.stringify(what)}: invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`,
        );
      }
      bytes.push(Number.parseInt(h, 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** net/url's "invalid userinfo" parse error. */
class InvalidUserinfo extends FuncError {
  constructor(readonly raw: string) {
    super(`unable to parse url: parse ${JSON.stringify(raw)}: net/url: invalid userinfo`);
  }
}

interface Parsed {
  scheme: string;
  opaque: string;
  userinfo: string;
  host: string;
  path: string;
  query: string;
  fragment: string;
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host.slice(1) : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/** url.Parse (enough for sprig's urlParse). */
function parseURL(raw: string): Parsed {
  const out: Parsed = {
    scheme: '',
    opaque: '',
    userinfo: '',
    host: '',
    path: '',
    query: '',
    fragment: '',
  };
  let rest = raw;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    out.fragment = unescape(rest.slice(hash + 1), raw);
    rest = rest.slice(0, hash);
  }
  const sm = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(rest);
  if (sm !== null) {
    out.scheme = (sm[1] ?? '').toLowerCase();
    rest = rest.slice(sm[0].length);
  } else if (/^[0-9+\-.]*:/.test(rest) && rest.indexOf(':') === 0) {
    throw new FuncError(
      `unable to parse url: parse ${JSON.stringify(raw)}: missing protocol scheme`,
    );
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    out.query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/') && out.scheme !== '') {
    out.opaque = rest;
    return out;
  }
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const ui = authority.slice(0, at);
      if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(ui)) throw new InvalidUserinfo(raw);
      const colon = ui.indexOf(':');
      const user = unescape(colon < 0 ? ui : ui.slice(0, colon), raw);
      const pass = colon < 0 ? null : unescape(ui.slice(colon + 1), raw);
      out.userinfo = escape(user, 'user') + (pass === null ? '' : `:${escape(pass, 'user')}`);
    }
    const host = at < 0 ? authority : authority.slice(at + 1);
    const bad = Array.from(host).find((c) => c < '\x80' && c !== '%' && shouldEscape(c, 'host'));
    if (bad !== undefined) {
      throw new FuncError(
        `unable to parse url: parse ${JSON.stringify(raw)}: invalid character ${JSON.stringify(bad)} in host name`,
      );
    }
    out.host = unescape(host, raw);
  }
  out.path = unescape(rest, raw);
  return out;
}

function dictString(d: Map<string, GoValue>, key: string): string {
  if (!d.has(key)) return '';
  const v = d.get(key) ?? null;
  const u = unwrap(v);
  if (typeof u !== 'string') {
    const kind = v === null ? 'invalid' : goKindName(v);
    throw new FuncError(`unable to parse ${key} key, must be of type string, but ${kind} found`);
  }
  return u;
}

/** url.URL.String for the fields urlJoin sets. */
function urlString(d: Map<string, GoValue>): string {
  const [scheme, host, path, query, opaque, fragment, userinfo] = [
    'scheme',
    'host',
    'path',
    'query',
    'opaque',
    'fragment',
    'userinfo',
  ].map((k) => dictString(d, k)) as [string, string, string, string, string, string, string];
  let user: string | null = null;
  if (userinfo !== '') {
    try {
      user = parseURL(`proto://${userinfo}@host`).userinfo;
    } catch (e) {
      const why = e instanceof InvalidUserinfo ? 'net/url: invalid userinfo' : (e as Error).message;
      const raw = JSON.stringify(`proto://${userinfo}@host`);
      throw new FuncError(`unable to parse userinfo in dict: parse ${raw}: ${why}`);
    }
  }
  let buf = scheme === '' ? '' : `${scheme}:`;
  if (opaque !== '') buf += opaque;
  else {
    if (scheme !== '' || host !== '' || user !== null) {
      if (host !== '' || path !== '' || user !== null) buf += '//';
      if (user !== null) buf += `${user}@`;
      if (host !== '') buf += escape(host, 'host');
    }
    const p = escape(path, 'path');
    if (p !== '' && !p.startsWith('/') && host !== '') buf += '/';
    if (buf === '' && (p.split('/')[0] ?? '').includes(':')) buf += './';
    buf += p;
  }
  if (query !== '') buf += `?${query}`;
  if (fragment !== '') buf += `#${escape(fragment, 'fragment')}`;
  return buf;
}

/** The URL functions, keyed by template name. */
export function urlFuncs(): [string, GoFunc][] {
  return [
    fixed('urlParse', [str], (s) => {
      const u = parseURL(s);
      return new Map<string, GoValue>([
        ['scheme', u.scheme],
        ['host', u.host],
        ['hostname', hostname(u.host)],
        ['path', u.path],
        ['query', u.query],
        ['opaque', u.opaque],
        ['fragment', u.fragment],
        ['userinfo', u.userinfo],
      ]);
    }),
    fixed('urlJoin', [dictArg], urlString),
  ];
}
