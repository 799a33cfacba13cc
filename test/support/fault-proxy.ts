/**
 * A loopback TCP proxy that injects faults in front of a real server: added latency, HTTP error
 * answers instead of forwarding, dropped connections, and a stopped server (connection refused).
 * Faults are switched at run time; `cut()` closes open keep-alive connections so that a client's
 * pooled connections meet the new faults too.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface Faults {
  /** Delay before forwarding each new connection, ms. */
  latencyMs?: number;
  /** Answer the next N connections with this HTTP status instead of forwarding. */
  status?: { code: number; count: number; body?: string };
  /** Close the next N connections right after accepting them. */
  drop?: number;
}

export interface FaultProxy {
  url: string;
  faults: Faults;
  /** Connections accepted so far. */
  connections: number;
  /** Requests answered with an injected status: request line (`GET /v1/… HTTP/1.1`) and time. */
  readonly answered: { line: string; at: number }[];
  /**
   * Requests passed to the server: request line and time. Found by a method at the start of a
   * chunk the client sent, which holds for the small requests of these tests (keep-alive
   * connections carry several, so `connections` does not count them).
   */
  readonly forwarded: { line: string; at: number }[];
  /** Closes every open connection (the listener stays up). */
  cut(): void;
  /** Stops listening and closes every connection: clients get "connection refused". */
  stop(): Promise<void>;
  /** Listens again on the same port after `stop()`. */
  start(): Promise<void>;
  close(): Promise<void>;
}

const REQUEST_LINE = /^(GET|HEAD|POST|PUT|PATCH|DELETE|LIST|OPTIONS) \S+ HTTP\/1\.[01]/;

function requestLine(chunk: Buffer): string | undefined {
  return REQUEST_LINE.exec(chunk.toString('latin1', 0, 2048))?.[0];
}

function answer(
  socket: Socket,
  code: number,
  body: string,
  answered: FaultProxy['answered'],
): void {
  socket.once('data', (chunk: Buffer) => {
    answered.push({ line: chunk.toString('latin1').split('\r\n', 1)[0] ?? '', at: Date.now() });
    socket.end(
      `HTTP/1.1 ${String(code)} Injected\r\nContent-Type: application/json\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/** Starts a proxy on 127.0.0.1:0 forwarding to `target` (http://host:port). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const proxy = {
    url: '',
    faults: {},
    connections: 0,
    answered: [],
    forwarded: [],
  } as unknown as FaultProxy;
  const server: Server = createServer((socket) => {
    proxy.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const f = proxy.faults;
    if (f.drop !== undefined && f.drop > 0) {
      f.drop--;
      socket.destroy();
      return;
    }
    if (f.status !== undefined && f.status.count > 0) {
      f.status.count--;
      answer(
        socket,
        f.status.code,
        f.status.body ?? '{"errors":["injected fault"]}',
        proxy.answered,
      );
      return;
    }
    socket.pause();
    setTimeout(() => {
      const upstream = connect(Number(port), hostname, () => {
        socket.on('data', (chunk: Buffer) => {
          const line = requestLine(chunk);
          if (line !== undefined) proxy.forwarded.push({ line, at: Date.now() });
        });
        socket.pipe(upstream);
        upstream.pipe(socket);
        socket.resume();
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    }, f.latencyMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const listenPort = typeof address === 'object' && address ? address.port : 0;
  proxy.url = `http://127.0.0.1:${String(listenPort)}`;
  proxy.cut = () => {
    for (const s of sockets) s.destroy();
  };
  proxy.stop = () =>
    new Promise((resolve) => {
      proxy.cut();
      server.close(() => {
        resolve();
      });
    });
  proxy.start = () =>
    new Promise((resolve, reject) => {
      if (server.listening) {
        resolve();
        return;
      }
      server.once('error', reject);
      server.listen(listenPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  proxy.close = () => (server.listening ? proxy.stop() : Promise.resolve());
  return proxy;
}
