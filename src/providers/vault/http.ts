/**
 * Vault's HTTP API over the injected `fetch` (eso.md §4.5): token, namespace and custom headers,
 * X-Vault-Index replay for read-your-writes, timeouts and the vault api's retry policy (5xx except
 * 501, 412 and connection errors). Errors name method, path and status, never request or response
 * values: `vault: GET secret/data/x: 403 permission denied`.
 */
import type { Dispatcher } from 'undici';
import { parseJson, type JsonValue } from '../../secretdata/gojson.ts';
import { ProviderError } from '../provider.ts';

export type VaultMethod = 'GET' | 'LIST' | 'POST' | 'PUT' | 'DELETE';

export interface VaultRequest {
  method: VaultMethod;
  /** Path below /v1/, e.g. `secret/data/app`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  token?: string;
  /** Overrides the client namespace for this request (auth.namespace during login). */
  namespace?: string;
}

export interface VaultResponse {
  status: number;
  /** The decoded JSON body (numbers kept as written); undefined when empty or not JSON. */
  body: JsonValue | undefined;
}

export interface VaultHttpOptions {
  server: string;
  namespace?: string;
  headers?: Record<string, string>;
  readYourWrites?: boolean;
  forwardInconsistent?: boolean;
  /** Retries after the first attempt (vault api default 2). */
  maxRetries?: number;
  retryIntervalMs?: number;
  timeoutMs?: number;
  fetch: typeof fetch;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_ERROR_TEXT = 300;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The `errors` Vault returned, shortened; they describe the request, not secret values. */
export function vaultErrorText(body: JsonValue | undefined): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return '';
  const errors = (body as Record<string, JsonValue>).errors;
  if (!Array.isArray(errors)) return '';
  const text = errors.filter((e): e is string => typeof e === 'string').join('; ');
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}

export function describeRequest(req: Pick<VaultRequest, 'method' | 'path'>): string {
  return `vault: ${req.method} ${req.path}`;
}

/** A ProviderError for a non-success response. */
export function statusError(
  req: Pick<VaultRequest, 'method' | 'path'>,
  res: VaultResponse,
): ProviderError {
  const text = vaultErrorText(res.body);
  const retryable = res.status >= 500 || res.status === 412 || res.status === 429;
  return new ProviderError(
    `${describeRequest(req)}: ${String(res.status)}${text ? ` ${text}` : ''}`,
    {
      status: res.status,
      retryable,
    },
  );
}

function isRetryableStatus(status: number): boolean {
  return (status >= 500 && status !== 501) || status === 412;
}

function causeCode(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message.slice(0, 120);
  if (e instanceof Error && e.name === 'TimeoutError') return 'timeout';
  return e instanceof Error ? e.name : 'unknown error';
}

export class VaultHttp {
  private lastIndex: string | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly options: VaultHttpOptions) {
    this.sleep = options.sleep ?? delay;
  }

  /** Sends one request with retries; returns any HTTP status, throws ProviderError on transport failure. */
  async send(req: VaultRequest): Promise<VaultResponse> {
    const retries = this.options.maxRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      let res: VaultResponse;
      try {
        res = await this.once(req);
      } catch (e) {
        if (attempt >= retries || this.options.signal?.aborted === true) {
          throw new ProviderError(
            `${describeRequest(req)}: connection failed: ${causeCode(e)}`,
            { retryable: true },
            { cause: e },
          );
        }
        await this.sleep(this.options.retryIntervalMs ?? 1000);
        continue;
      }
      if (!isRetryableStatus(res.status) || attempt >= retries) return res;
      await this.sleep(this.options.retryIntervalMs ?? 1000);
    }
  }

  /** `send`, then a ProviderError unless the status is 2xx (404 included). */
  async ok(req: VaultRequest): Promise<VaultResponse> {
    const res = await this.send(req);
    if (res.status < 200 || res.status > 299) throw statusError(req, res);
    return res;
  }

  private headers(req: VaultRequest): Record<string, string> {
    const h: Record<string, string> = { ...this.options.headers };
    if (req.token !== undefined && req.token !== '') h['X-Vault-Token'] = req.token;
    const ns = req.namespace ?? this.options.namespace;
    if (ns !== undefined && ns !== '') h['X-Vault-Namespace'] = ns;
    if (req.body !== undefined) h['Content-Type'] = 'application/json';
    const consistent =
      this.options.readYourWrites === true || this.options.forwardInconsistent === true;
    if (consistent && this.lastIndex !== undefined) h['X-Vault-Index'] = this.lastIndex;
    if (this.options.readYourWrites === true && this.options.forwardInconsistent === true) {
      h['X-Vault-Inconsistent'] = 'forward-active-node';
    }
    return h;
  }

  private url(req: VaultRequest): string {
    const base = this.options.server.replace(/\/+$/, '');
    const query = new URLSearchParams(req.query);
    if (req.method === 'LIST') query.set('list', 'true');
    const qs = query.toString();
    const path = req.path.split('/').map(encodeURIComponent).join('/');
    return `${base}/v1/${path}${qs ? `?${qs}` : ''}`;
  }

  private async once(req: VaultRequest): Promise<VaultResponse> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    const init: RequestInit = {
      method: req.method === 'LIST' ? 'GET' : req.method,
      headers: this.headers(req),
      signal,
    };
    if (req.body !== undefined) init.body = JSON.stringify(req.body);
    // undici's Agent drives Node's bundled fetch too; their Dispatcher typings differ by version.
    if (this.options.dispatcher)
      (init as { dispatcher?: unknown }).dispatcher = this.options.dispatcher;
    const response = await this.options.fetch(this.url(req), init);
    const index = response.headers.get('X-Vault-Index');
    if (index !== null) this.lastIndex = index;
    const text = await response.text();
    let body: JsonValue | undefined;
    try {
      body = text === '' ? undefined : parseJson(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  }
}
