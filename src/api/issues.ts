/** One problem found in a manifest. `segments` locate it in the object (and so in the YAML source). */
export interface Issue {
  /** Dotted path as Kubernetes prints it, e.g. `spec.data[0].remoteRef.key`. */
  path: string;
  segments: readonly (string | number)[];
  message: string;
  severity: 'error' | 'warning';
}

export type Segments = readonly (string | number)[];

/** Renders path segments the way Kubernetes field errors do. */
export function formatPath(segments: Segments): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? '<root>' : out;
}

/** Collects issues under a base path; rules call `error`/`warn` with paths relative to the base. */
export class IssueList {
  readonly items: Issue[] = [];

  error(segments: Segments, message: string): void {
    this.items.push({ path: formatPath(segments), segments, message, severity: 'error' });
  }

  warn(segments: Segments, message: string): void {
    this.items.push({ path: formatPath(segments), segments, message, severity: 'warning' });
  }
}
