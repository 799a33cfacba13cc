/**
 * API errors. `KubeApiError` is a client-node `ApiException` (so `.code` works as callers expect)
 * with a short message: the verb, the object and the server's Status message, never the request
 * body or headers (client-node's own message inlines both).
 */
import { ApiException } from '@kubernetes/client-node';

/** The `Status` object the API server returns with an error. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; retryAfterSeconds?: number };
}

export class KubeApiError extends ApiException<KubeStatus> {
  /** Status reason, e.g. `NotFound`, `Conflict`, `AlreadyExists`, `Expired`. */
  readonly reason: string;

  constructor(code: number, what: string, status: KubeStatus) {
    super(code, what, status, {});
    this.name = 'KubeApiError';
    this.reason = status.reason ?? '';
    const detail = status.message ?? status.reason ?? 'no details';
    this.message = `${what}: HTTP ${code}: ${detail}`;
  }
}

/** The request never got an HTTP answer (connection refused, reset, timeout). */
export class KubeTransportError extends Error {
  constructor(what: string, options: { cause: unknown }) {
    super(`${what}: ${describeCause(options.cause)}`, options);
    this.name = 'KubeTransportError';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return 'request failed';
}

function codeOf(error: unknown): number | undefined {
  return error instanceof ApiException ? (error as ApiException<unknown>).code : undefined;
}

export const isNotFound = (error: unknown): boolean => codeOf(error) === 404;
export const isConflict = (error: unknown): boolean => codeOf(error) === 409;
export const isAlreadyExists = (error: unknown): boolean =>
  error instanceof KubeApiError && error.reason === 'AlreadyExists';
/** 410 Gone: the resourceVersion a watch or list asked for was compacted away; relist. */
export const isGone = (error: unknown): boolean => codeOf(error) === 410;
