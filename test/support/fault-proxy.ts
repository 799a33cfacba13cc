/**
 * A loopback TCP proxy that injects faults in front of a real server: added latency, HTTP 5xx
 * answers instead of forwarding, and dropped connections. Faults are switched at run time.
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
  close(): Promise<void>;
}

function answer(socket: Socket, code: number, body: string): void {
  socket.once('data', () => {
    socket.end(
      `HTTP/1.1 ${String(code)} Injected\r\nContent-Type: application/json\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/** Starts a proxy on 127.0.0.1:0 forwarding to `target` (http://host:port). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const proxy: FaultProxy = { url: '', faults: {}, connections: 0, close: () => Promise.resolve() };
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
      answer(socket, f.status.code, f.status.body ?? '{"errors":["injected fault"]}');
      return;
    }
    socket.pause();
    setTimeout(() => {
      const upstream = connect(Number(port), hostname, () => {
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
  proxy.url = `http://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}`;
  proxy.close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => {
        resolve();
      });
    });
  return proxy;
}
