/**
 * Go's encoding/pem Decode and Encode, byte for byte. Data is handled as a binary string (one
 * char per byte) so offsets match Go's.
 */

export interface PemBlock {
  readonly type: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly bytes: Buffer;
}

const PEM_START = '\n-----BEGIN ';
const PEM_END = '\n-----END ';
const EOL = '-----';

function getLine(data: string): { line: string; rest: string; consumed: number } {
  let i = data.indexOf('\n');
  let j: number;
  if (i < 0) {
    i = data.length;
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] === '\r') i--;
  }
  return { line: data.slice(0, i).replace(/[ \t]+$/, ''), rest: data.slice(j), consumed: j };
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** base64.StdEncoding.Decode: strict padding, CR and LF ignored. */
function decodeBase64(s: string): Buffer | null {
  const clean = s.replace(/[\r\n]/g, '');
  return B64.test(clean) ? Buffer.from(clean, 'base64') : null;
}

interface Attempt {
  block?: PemBlock;
  rest: string;
}

function parseHeaders(input: string, ends: { end: number; trailer: number }): Attempt | null {
  const headers = new Map<string, string>();
  let rest = input;
  for (;;) {
    if (rest.length === 0) return null;
    const { line, rest: next, consumed } = getLine(rest);
    const colon = line.indexOf(':');
    if (colon < 0) break;
    headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    rest = next;
    ends.end -= consumed;
    ends.trailer -= consumed;
  }
  return { block: { type: '', headers, bytes: Buffer.alloc(0) }, rest };
}

/** Tries to finish a block whose type line has been read; undefined means "keep scanning". */
function finishBlock(type: string, afterType: string, ends: { end: number; trailer: number }) {
  const parsed = parseHeaders(afterType, ends);
  if (parsed === null) return null;
  const headers = parsed.block?.headers ?? new Map<string, string>();
  const rest = parsed.rest;
  if (headers.size > 0 && ends.end < 0) return undefined;
  let endTrailer = rest.slice(ends.trailer);
  const trailerLen = type.length + EOL.length;
  if (endTrailer.length < trailerLen) return undefined;
  const restOfEndLine = endTrailer.slice(trailerLen);
  endTrailer = endTrailer.slice(0, trailerLen);
  if (!endTrailer.startsWith(type) || !endTrailer.endsWith(EOL)) return undefined;
  if (getLine(restOfEndLine).line.length !== 0) return undefined;
  let bytes: Buffer = Buffer.alloc(0);
  if (ends.end > 0) {
    const decoded = decodeBase64(rest.slice(0, ends.end).replace(/[ \t]/g, ''));
    if (decoded === null) return undefined;
    bytes = decoded;
  }
  const after = getLine(rest.slice(ends.end + PEM_END.length - 1)).rest;
  return { block: { type, headers, bytes }, rest: after };
}

/** pem.Decode on a binary string: the first block and the rest, or no block and all of data. */
export function pemDecode(data: string): Attempt {
  let rest = data;
  let endTrailerIndex = 0;
  for (;;) {
    if (endTrailerIndex < 0 || endTrailerIndex > rest.length) return { rest: data };
    rest = rest.slice(endTrailerIndex);
    let endIndex = rest.indexOf(PEM_END);
    if (endIndex < 0) return { rest: data };
    endTrailerIndex = endIndex + PEM_END.length;
    const beginIndex = rest.slice(0, endIndex).lastIndexOf(PEM_START.slice(1));
    if (beginIndex < 0 || (beginIndex > 0 && rest[beginIndex - 1] !== '\n')) continue;
    const skip = beginIndex + PEM_START.length - 1;
    rest = rest.slice(skip);
    endIndex -= skip;
    endTrailerIndex -= skip;
    const typeLine = getLine(rest);
    rest = typeLine.rest;
    endIndex -= typeLine.consumed;
    endTrailerIndex -= typeLine.consumed;
    if (!typeLine.line.endsWith(EOL)) continue;
    const type = typeLine.line.slice(0, -EOL.length);
    const ends = { end: endIndex, trailer: endTrailerIndex };
    const done = finishBlock(type, rest, ends);
    if (done === null) return { rest: data };
    if (done !== undefined) return done;
  }
}

/** pem.Decode on a Go string (UTF-8 bytes). */
export function pemDecodeString(s: string): Attempt {
  return pemDecode(Buffer.from(s, 'utf8').toString('latin1'));
}

/** pem.EncodeToMemory, as a binary string. */
export function pemEncode(block: PemBlock): string {
  let out = `-----BEGIN ${block.type}-----\n`;
  if (block.headers.size > 0) {
    const proc = block.headers.get('Proc-Type');
    if (proc !== undefined) out += `Proc-Type: ${proc}\n`;
    const keys = [...block.headers.keys()].filter((k) => k !== 'Proc-Type').sort();
    for (const k of keys) out += `${k}: ${block.headers.get(k) ?? ''}\n`;
    out += '\n';
  }
  const b64 = block.bytes.toString('base64');
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\n';
  return out + `-----END ${block.type}-----\n`;
}

/** A PEM block from DER, as a Go (UTF-8) string. */
export function pemString(type: string, der: Buffer): string {
  return pemEncode({ type, headers: new Map(), bytes: der });
}

/** A binary string back to a JS string (bytes read as UTF-8). */
export function fromBinary(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}
