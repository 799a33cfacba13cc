/**
 * One HTTP request to the API server, over client-node's own machinery: its `KubeConfig` applies
 * authentication (tokens, exec plugins, client certs) and its fetch library sends. We add what
 * 1.4.0 lacks: a per-request timeout, and one keep-alive agent instead of a new TLS connection
 * per request (client-node builds a fresh `https.Agent` every call).
 */
import { Agent } from 'node:https';
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';

export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: Verb;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  contentType?: string;
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  body: string;
}

/** Sends one request; resolves with any HTTP status, rejects only when no answer came. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

export interface TransportOptions {
  /** Abort a request that has not completed after this long. Default 30 s. */
  timeoutMs?: number;
  /**
   * Reuse one keep-alive connection (default). Short-lived clients (a provider's connection to
   * another cluster, made per reconcile) pass `false` so no idle socket outlives them.
   */
  keepAlive?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The API server URL of the kubeconfig's current context. */
export function serverUrl(kc: KubeConfig): string {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster; set a current-context');
  return cluster.server.replace(/\/+$/, '');
}

export function buildUrl(server: string, request: HttpRequest): string {
  const url = new URL(server + request.path);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url.toString();
}

/** A transport through client-node's KubeConfig and fetch library. */
export function clientNodeTransport(kc: KubeConfig, options: TransportOptions = {}): Transport {
  const server = serverUrl(kc);
  const library = new IsomorphicFetchHttpLibrary();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let shared: Agent | undefined;
  const reuseAgent = (context: RequestContext): void => {
    const fresh = context.getAgent();
    // Only a plain TLS agent is swapped; proxy agents keep client-node's behaviour.
    if (!(fresh instanceof Agent) || fresh.constructor !== Agent) return;
    shared ??= new Agent({ ...fresh.options, keepAlive: true });
    context.setAgent(shared);
  };
  return async (request) => {
    const context = new RequestContext(buildUrl(server, request), HttpMethod[request.method]);
    context.setHeaderParam('Accept', 'application/json');
    if (request.body !== undefined) {
      context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
      context.setBody(JSON.stringify(request.body));
    }
    await kc.applySecurityAuthentication(context);
    if (options.keepAlive !== false) reuseAgent(context);
    context.setSignal(AbortSignal.timeout(timeoutMs));
    const response = await library.send(context).toPromise();
    return { status: response.httpStatusCode, body: await response.body.text() };
  };
}
