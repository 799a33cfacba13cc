/**
 * go-yaml (libyaml) wording for the YAML syntax errors templates most often hit. Our parser
 * (the `yaml` package) finds the same errors but words and places them differently; fromYaml
 * returns the text to the template, so the common cases are translated. Others keep our text.
 */
import type { YAMLError } from 'yaml';

interface Translation {
  /** Start of our parser's message. */
  ours: string;
  goText: string;
  /**
   * How go-yaml numbers the line, from our 1-based line: scanner errors print it unless it is
   * the first line; parser errors print the line before (at least 1).
   */
  line: 'scanner' | 'parser';
}

const TRANSLATIONS: readonly Translation[] = [
  { ours: 'Flow sequence', goText: "did not find expected ',' or ']'", line: 'parser' },
  { ours: 'Flow map', goText: "did not find expected ',' or '}'", line: 'parser' },
  {
    ours: 'A block sequence may not be used as an implicit map key',
    goText: 'did not find expected key',
    line: 'parser',
  },
  { ours: 'Missing closing', goText: 'found unexpected end of stream', line: 'scanner' },
  {
    ours: 'Nested mappings are not allowed in compact mappings',
    goText: 'mapping values are not allowed in this context',
    line: 'scanner',
  },
  {
    ours: 'Tabs are not allowed as indentation',
    goText: 'found character that cannot start any token',
    line: 'scanner',
  },
  {
    ours: 'Plain value cannot start with reserved character',
    goText: 'found character that cannot start any token',
    line: 'scanner',
  },
];

/** The message go-yaml gives for `err` (without the "yaml: " prefix). */
export function goYamlMessage(err: YAMLError): string {
  const first = err.message.split('\n')[0] ?? err.message;
  const t = TRANSLATIONS.find((x) => first.startsWith(x.ours));
  if (t === undefined) return first;
  const line = err.linePos?.[0].line ?? 1;
  if (t.line === 'parser') return `line ${Math.max(1, line - 1)}: ${t.goText}`;
  return line > 1 ? `line ${line}: ${t.goText}` : t.goText;
}
