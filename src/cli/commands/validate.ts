import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../errors.ts';
import { parseManifests } from '../../api/manifest-source.ts';
import type { SourceObject } from '../../api/manifest-source.ts';
import { classifyManifest, validateManifest } from '../../api/validate.ts';
import type { Command, CommandIO } from '../command.ts';

const USAGE = 'ferry validate -f <file|dir|-> [-f …] [--quiet]';
const MANIFEST_FILE = /\.(ya?ml|json)$/i;

interface Options {
  inputs: string[];
  quiet: boolean;
}

function parseArgs(args: readonly string[]): Options {
  const opts: Options = { inputs: [], quiet: false };
  let afterFile = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-f' || arg === '--filename') {
      const value = args[++i];
      if (value === undefined)
        throw new UsageError(`${arg} needs a file, a directory or - for stdin`);
      opts.inputs.push(value);
      afterFile = true;
    } else if (arg.startsWith('--filename=')) {
      opts.inputs.push(arg.slice('--filename='.length));
      afterFile = true;
    } else if (arg === '-q' || arg === '--quiet') {
      opts.quiet = true;
    } else {
      opts.inputs.push(positional(arg, afterFile));
    }
  }
  if (opts.inputs.length === 0) throw new UsageError(`no input; usage: ${USAGE}`);
  return opts;
}

/** After `-f`, bare arguments are more inputs (`-f *.yaml` as the shell expands it). */
function positional(arg: string, afterFile: boolean): string {
  if (arg.startsWith('-') && arg !== '-')
    throw new UsageError(`unknown flag ${arg}; usage: ${USAGE}`);
  if (!afterFile)
    throw new UsageError(`unexpected argument ${JSON.stringify(arg)}; usage: ${USAGE}`);
  return arg;
}

async function expand(input: string, cwd: string): Promise<string[]> {
  if (input === '-') return ['-'];
  const path = resolve(cwd, input);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UsageError(`${input}: no such file or directory`);
  if (!info.isDirectory()) return [input];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && MANIFEST_FILE.test(e.name))
    .map((e) => join(input, e.parentPath.slice(path.length), e.name))
    .sort();
}

interface Tally {
  checked: number;
  invalid: number;
  skipped: number;
  warnings: number;
}

function describeObject(obj: unknown): string {
  const o = (typeof obj === 'object' && obj !== null ? obj : {}) as {
    kind?: unknown;
    metadata?: { name?: unknown; generateName?: unknown };
  };
  const kind = typeof o.kind === 'string' ? o.kind : '<no kind>';
  const name = o.metadata?.name ?? o.metadata?.generateName;
  return `${kind}/${typeof name === 'string' ? name : '<no name>'}`;
}

interface Reporter {
  io: CommandIO;
  opts: Options;
  tally: Tally;
}

function report(file: string, source: SourceObject, { io, opts, tally }: Reporter): void {
  const what = describeObject(source.object);
  const where = (p: { line: number; col: number }): string => `${file}:${p.line}:${p.col}`;
  const kind = classifyManifest(source.object);
  const issues = validateManifest(source.object);
  if (!kind.served && issues.length === 0) {
    tally.skipped++;
    if (!opts.quiet)
      io.stdout.write(`${where(source.position)}: ${what}: skipped: ${kind.reason}\n`);
    return;
  }
  tally.checked++;
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) tally.invalid++;
  const located = issues
    .map((issue) => ({ issue, pos: source.locate(issue.segments) }))
    .sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
  for (const { issue, pos } of located) {
    if (issue.severity === 'warning') {
      tally.warnings++;
      if (opts.quiet) continue;
    }
    const label = issue.severity === 'warning' ? 'warning: ' : '';
    io.stdout.write(`${where(pos)}: ${what}: ${issue.path}: ${label}${issue.message}\n`);
  }
}

async function readInput(
  file: string,
  cwd: string,
  readStdin: () => Promise<string>,
): Promise<string> {
  if (file === '-') return readStdin();
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** Builds `ferry validate`; stdin is injected so tests can feed it. */
export function createValidateCommand(deps: { readStdin: () => Promise<string> }): Command {
  return {
    name: 'validate',
    summary: 'check ESO/Ferry manifests against the schemas and ESO rules, with file:line errors',
    usage: USAGE,
    async run(args, io) {
      const opts = parseArgs(args);
      const files = (await Promise.all(opts.inputs.map((i) => expand(i, io.cwd)))).flat();
      const tally: Tally = { checked: 0, invalid: 0, skipped: 0, warnings: 0 };
      let syntaxErrors = 0;
      for (const file of files) {
        const label = file === '-' ? '<stdin>' : file;
        const parsed = parseManifests(await readInput(file, io.cwd, deps.readStdin));
        for (const e of parsed.errors) {
          syntaxErrors++;
          io.stdout.write(`${label}:${e.position.line}:${e.position.col}: YAML: ${e.message}\n`);
        }
        for (const source of parsed.objects) report(label, source, { io, opts, tally });
      }
      const invalid = tally.invalid + syntaxErrors;
      io.stderr.write(
        `${tally.checked} checked, ${invalid} invalid, ${tally.skipped} skipped, ${tally.warnings} warning(s)\n`,
      );
      return invalid > 0 ? 1 : 0;
    },
  };
}

export const validateCommand: Command = createValidateCommand({ readStdin: readProcessStdin });
