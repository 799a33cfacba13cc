/**
 * The operator's HTTP endpoints on node:http: `/healthz`, `/readyz` and `/metrics`. Each check
 * is a function returning a reason when unhealthy, so the manager decides what "stalled"
 * means (reference/perf-reliability.md §5 goal 13: no silent stalls).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Returns `undefined` when healthy, else a short reason (no secrets, no values). */
export type Check = () => string | undefined;

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Serve `/metrics` from this registry. */
  registry?: Registry;
  /** `/healthz` (liveness) checks by name. */
  liveness?: Record<string, Check>;
  /** `/readyz` (readiness) checks by name. */
  readiness?: Record<string, Check>;
}

export interface RunningServer {
  /** The bound address (the port is real even when 0 was asked for). */
  address: AddressInfo;
  close(): Promise<void>;
}

function runChecks(checks: Record<string, Check>): { ok: boolean; body: string } {
  const lines: string[] = [];
  let ok = true;
  for (const [name, check] of Object.entries(checks)) {
    const reason = check();
    if (reason === undefined) lines.push(`[+]${name} ok`);
    else {
      ok = false;
      lines.push(`[-]${name} failed: ${reason}`);
    }
  }
  lines.push(ok ? 'ok' : 'check failed');
  return { ok, body: `${lines.join('\n')}\n` };
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

async function serveMetrics(res: ServerResponse, registry: Registry): Promise<void> {
  try {
    send(res, 200, await registry.metrics(), registry.contentType);
  } catch {
    send(res, 500, 'metrics collection failed\n');
  }
}

function handler(options: HttpServerOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'method not allowed\n');
      return;
    }
    if (path === '/metrics' && options.registry) return void serveMetrics(res, options.registry);
    const checks =
      path === '/healthz' ? options.liveness : path === '/readyz' ? options.readiness : undefined;
    if (!checks) {
      send(res, 404, 'not found\n');
      return;
    }
    const result = runChecks(checks);
    send(res, result.ok ? 200 : 503, result.body);
  };
}

/** Starts listening; resolves once bound. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const server: Server = createServer(handler(options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    address: server.address() as AddressInfo,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

/** Parses Go-style listen addresses: `:8080` (all interfaces), `127.0.0.1:8080`, `[::1]:8080`. */
export function parseListenAddress(address: string): { host: string; port: number } | undefined {
  if (address === '0' || address === '') return undefined;
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address);
  if (!match) throw new Error(`invalid listen address "${address}": want host:port or :port`);
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port: Number(match[3]) };
}
