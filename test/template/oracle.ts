/**
 * Client of tools/template-oracle: a long-lived Go process that renders templates with the real
 * text/template + sprig + ESO functions. One JSON line per case in, one JSON line out.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const oracleBinary = join(repoRoot, 'tools', 'template-oracle', 'template-oracle');

/** `missingkey` option values of Go's text/template. */
export type MissingKey = 'default' | 'invalid' | 'zero' | 'error';

/** One template to render, as both engines receive it. */
export interface TemplateCase {
  id: string;
  template: string;
  /** JSON with type tags (`{"$int":"5"}` …, see tools/template-oracle/main.go). */
  data?: unknown;
  /** `stringMap` is ESO's `map[string]string` data; `json` is `encoding/json` into `any`. */
  dataKind?: 'json' | 'stringMap';
  leftDelim?: string;
  rightDelim?: string;
  missingKey?: MissingKey;
  name?: string;
}

export type Phase = 'parse' | 'exec' | 'input';

export type RenderResult =
  { ok: true; output: Uint8Array } | { ok: false; phase: Phase; error: string };

interface WireResponse {
  id?: number;
  ok: boolean;
  output?: string;
  phase?: Phase;
  error?: string;
}

/** Why the oracle cannot run, or null when the binary is ready. */
export function buildOracle(): string | null {
  const script = join(repoRoot, 'scripts', 'build-oracle.sh');
  const res = spawnSync('bash', [script], { cwd: repoRoot, encoding: 'utf8' });
  if (res.error) return `cannot run scripts/build-oracle.sh: ${res.error.message}`;
  if (res.status === 2) return res.stderr.trim() || 'go is not installed';
  if (res.status !== 0) throw new Error(`scripts/build-oracle.sh failed:\n${res.stderr}`);
  return existsSync(oracleBinary) ? null : 'scripts/build-oracle.sh did not produce the binary';
}

/** Function names known to the oracle, split by origin. */
export interface OracleFuncs {
  sprig: string[];
  eso: string[];
}

export function oracleFuncs(): OracleFuncs {
  const res = spawnSync(oracleBinary, ['funcs'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`template-oracle funcs failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as OracleFuncs;
}

/** A running oracle process. Requests are answered in order; many may be in flight. */
export class Oracle {
  private readonly pending = new Map<number, (r: WireResponse) => void>();
  private nextId = 0;
  private exited: string | null = null;

  private constructor(private readonly proc: ChildProcessWithoutNullStreams) {
    const lines = createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      const resp = JSON.parse(line) as WireResponse;
      const done = this.pending.get(resp.id ?? -1);
      this.pending.delete(resp.id ?? -1);
      done?.(resp);
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A dead oracle surfaces through 'exit'; keep EPIPE on stdin from becoming an uncaught error.
    proc.stdin.on('error', () => undefined);
    proc.on('exit', (code) => {
      this.exited = `template-oracle exited with code ${code}: ${stderr}`;
      for (const done of this.pending.values()) {
        done({ ok: false, phase: 'input', error: this.exited });
      }
      this.pending.clear();
    });
  }

  static start(): Oracle {
    // Go's "Local" zone must match the engine's default (UTC) for date functions.
    const env = { ...process.env, TZ: 'UTC' };
    return new Oracle(spawn(oracleBinary, ['serve'], { stdio: ['pipe', 'pipe', 'pipe'], env }));
  }

  render(c: TemplateCase): Promise<RenderResult> {
    if (this.exited !== null)
      return Promise.resolve({ ok: false, phase: 'input', error: this.exited });
    const id = this.nextId++;
    const req = {
      id,
      template: c.template,
      data: c.data ?? null,
      dataKind: c.dataKind ?? 'json',
      leftDelim: c.leftDelim ?? '',
      rightDelim: c.rightDelim ?? '',
      missingKey: c.missingKey ?? '',
      name: c.name ?? 'tpl',
    };
    return new Promise((resolve) => {
      this.pending.set(id, (r) => {
        resolve(toResult(r));
      });
      this.proc.stdin.write(JSON.stringify(req) + '\n');
    });
  }

  renderAll(cases: readonly TemplateCase[]): Promise<RenderResult[]> {
    return Promise.all(cases.map((c) => this.render(c)));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.exited !== null) {
        resolve();
        return;
      }
      this.proc.on('exit', () => {
        resolve();
      });
      this.proc.stdin.end();
    });
  }
}

function toResult(r: WireResponse): RenderResult {
  if (r.ok) return { ok: true, output: new Uint8Array(Buffer.from(r.output ?? '', 'base64')) };
  return { ok: false, phase: r.phase ?? 'exec', error: r.error ?? '' };
}
