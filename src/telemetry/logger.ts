/**
 * Structured JSON logs through pino. Redaction is a safety net, not the plan: code never logs
 * values in the first place, but any field that could hold one (`data`, `stringData`, tokens,
 * passwords, authorization headers) is censored wherever it appears near the top of a record.
 */
import { pino, type DestinationStream } from 'pino';
import type { Logger } from '../providers/provider.ts';

export type { Logger } from '../providers/provider.ts';

/** A Logger that can make children with bound fields (`{controller, namespace, name, reconcileID}`). */
export interface RuntimeLogger extends Logger {
  child(bindings: Record<string, unknown>): RuntimeLogger;
}

const SENSITIVE = [
  'data',
  'stringData',
  'binaryData',
  'token',
  'password',
  'secret',
  'value',
  'values',
];

/** pino redact paths: each sensitive field at the top level and one or two levels down. */
export const REDACT_PATHS: readonly string[] = [
  ...SENSITIVE,
  ...SENSITIVE.map((f) => `*.${f}`),
  ...SENSITIVE.map((f) => `*.*.${f}`),
  'headers.authorization',
  '*.headers.authorization',
  'authorization',
  '*.authorization',
];

/** ESO's `--loglevel` values (zap) mapped to pino levels. */
const LEVELS: Record<string, pino.Level> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  dpanic: 'error',
  panic: 'fatal',
  fatal: 'fatal',
  trace: 'trace',
};

export const LOG_LEVELS = Object.keys(LEVELS);

export function pinoLevel(level: string): pino.Level | undefined {
  return LEVELS[level.toLowerCase()];
}

export interface LoggerOptions {
  /** One of LOG_LEVELS; default `info`. */
  level?: string;
  /** Where lines go; default stdout. */
  destination?: DestinationStream;
  /** Extra redact paths on top of REDACT_PATHS. */
  redact?: readonly string[];
}

export function createLogger(options: LoggerOptions = {}): RuntimeLogger {
  const config: pino.LoggerOptions = {
    level: pinoLevel(options.level ?? 'info') ?? 'info',
    redact: { paths: [...REDACT_PATHS, ...(options.redact ?? [])], censor: '[REDACTED]' },
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** A logger that drops everything (tests, library callers that pass none). */
export function silentLogger(): RuntimeLogger {
  return pino({ level: 'silent' });
}
