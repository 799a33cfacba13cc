/** HTTP routes of the demo app. Logs carry method, path and status only, never a value. */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DemoConfig } from './config.ts';
import { buildView, type View, type ViewName } from './inventory.ts';
import { itemId, renderHome, renderView } from './render.ts';

export interface DemoDeps {
  config: DemoConfig;
  /** The environment shown on /env; injected so tests control it. */
  env: () => Readonly<Record<string, string | undefined>>;
  log: (line: string) => void;
}

const securityHeaders = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
};

const staticFiles: Record<string, string> = {
  '/static/app.js': 'text/javascript; charset=utf-8',
  '/static/app.css': 'text/css; charset=utf-8',
};

const views = new Set<string>(['env', 'files', 'combined']);

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...securityHeaders, 'content-type': type });
  res.end(body);
}

function apiBody(view: View, reveal: boolean): string {
  return JSON.stringify({
    view: view.name,
    digest: view.digest,
    counts: view.counts,
    total: view.items.length,
    items: view.items.map((item) => ({
      id: itemId(item),
      key: item.key,
      category: item.category,
      source: item.source,
      ...(item.path ? { path: item.path } : {}),
      ...(item.error ? { error: item.error } : {}),
      ...(reveal ? { value: item.value } : {}),
    })),
  });
}

async function route(req: IncomingMessage, res: ServerResponse, deps: DemoDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  const path = url.pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }
  if (path === '/healthz') {
    send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
    return;
  }
  if (path === '/') {
    send(res, 200, 'text/html; charset=utf-8', renderHome());
    return;
  }
  const type = staticFiles[path];
  if (type) {
    const file = new URL(`.${path}`, import.meta.url);
    send(res, 200, type, await readFile(file));
    return;
  }
  const viewName = path.startsWith('/api/') ? path.slice(5) : path.slice(1);
  if (!views.has(viewName)) {
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    return;
  }
  const view = await buildView(viewName as ViewName, deps.env(), deps.config);
  if (path.startsWith('/api/')) {
    send(res, 200, 'application/json', apiBody(view, url.searchParams.get('reveal') === 'true'));
    return;
  }
  send(res, 200, 'text/html; charset=utf-8', renderView(view));
}

export function createDemoServer(deps: DemoDeps): Server {
  return createServer((req, res) => {
    const started = Date.now();
    const path = new URL(req.url ?? '/', 'http://demo.invalid').pathname;
    res.on('finish', () => {
      deps.log(`${req.method ?? '?'} ${path} ${res.statusCode} ${Date.now() - started}ms`);
    });
    route(req, res, deps).catch((error: unknown) => {
      deps.log(`error serving ${path}: ${error instanceof Error ? error.name : 'unknown'}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
    });
  });
}
