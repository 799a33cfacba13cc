/**
 * Secret key conversion and validation (ESO runtime/esutils `ConvertKeys`, `ValidateKeys`;
 * eso.md §2.2): keys may hold letters, numbers, '-', '.', '_'.
 */
import { SyncError } from './errors.ts';

const ALLOWED = /^[\p{L}\p{N}\-._]$/u;

function convertKey(strategy: string | undefined, key: string): string {
  let out = '';
  for (const ch of key) {
    if (ALLOWED.test(ch)) out += ch;
    else if (strategy === 'Unicode')
      out += `_U${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}_`;
    else if (strategy === undefined || strategy === '' || strategy === 'Default') out += '_';
    else out += ch;
  }
  return out;
}

/** ESO `ConvertKeys`: Default maps bad runes to `_`, Unicode to `_U%04x_`; collisions fail. */
export function convertKeys(
  strategy: string | undefined,
  input: ReadonlyMap<string, Uint8Array>,
): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [k, v] of input) {
    const key = convertKey(strategy, k);
    if (out.has(key)) throw new SyncError(`secret name collision during conversion: ${key}`);
    out.set(key, v);
  }
  return out;
}

/** ESO `ValidateKeys`: drops empty keys, rejects long keys and disallowed runes. */
export function validateKeys(input: Map<string, Uint8Array>): void {
  for (const key of [...input.keys()]) {
    const length = Buffer.byteLength(key, 'utf8');
    if (length === 0) {
      input.delete(key);
      continue;
    }
    if (length > 253) {
      const truncated = Buffer.from(key, 'utf8').subarray(0, 253).toString('utf8');
      throw new SyncError(
        `key has length ${length} but max is 253: (following is truncated): ${truncated}`,
      );
    }
    for (const ch of key) {
      if (!ALLOWED.test(ch)) {
        throw new SyncError(
          `key has invalid character ${ch}, only alphanumeric, '-', '.' and '_' are allowed: ${key}`,
        );
      }
    }
  }
}
