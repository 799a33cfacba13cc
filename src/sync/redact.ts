/**
 * Keeps secret values out of everything the core emits. ESO puts the full error text into
 * events, and Go errors can quote their input (strconv, json, template functions); Ferry scrubs
 * every known secret value, raw and in its quoted forms, before a message leaves the core.
 */

const MIN_LENGTH = 3;
const MASK = '[redacted]';

export type Redactor = (message: string) => string;

/** Builds a redactor for these values. Very short values are left alone: they would shred text. */
export function redactorFor(values: Iterable<Uint8Array | string>): Redactor {
  const needles = new Set<string>();
  const decoder = new TextDecoder();
  for (const v of values) {
    const text = typeof v === 'string' ? v : decoder.decode(v);
    for (const form of [text, JSON.stringify(text).slice(1, -1), text.trim()]) {
      if (form.length >= MIN_LENGTH) needles.add(form);
    }
  }
  // Longest first, so a value containing another is masked whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  return (message) => ordered.reduce((text, needle) => text.split(needle).join(MASK), message);
}
