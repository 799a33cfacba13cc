/**
 * Errors the sync core raises. Messages follow ESO's wording (reference/eso.md §2.2) so events
 * read the same, but never carry a secret value: see `redact.ts`.
 */
import { FerryError } from '../errors.ts';
import { NoSecretError } from '../providers/provider.ts';

/** A step of the sync failed; `message` is ESO's wrapped error text. */
export class SyncError extends FerryError {}

/** Wrap `cause` as ESO's `fmt.Errorf("<prefix>: %w", err)` does, keeping the chain for `isNoSecret`. */
export function wrap(prefix: string, cause: unknown): SyncError {
  return new SyncError(`${prefix}${messageOf(cause)}`, { cause });
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `errors.Is(err, esv1.NoSecretErr)`: walks the cause chain. */
export function isNoSecret(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 32; e = e.cause, depth++) {
    if (e instanceof NoSecretError) return true;
  }
  return false;
}
