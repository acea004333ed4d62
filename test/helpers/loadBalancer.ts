// A TCP round-robin load balancer (node:net) on a free loopback port, in front of the live nodes'
// HTTP ports: what an operator's balancer does for pages and websockets. Media does not go through
// it (each node announces its own RTC port). A connection that cannot reach its backend is tried on
// the next one, so a killed node costs a reconnect, not a failed page load.
import net from 'node:net';

export interface LoadBalancer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** The nodes to spread connections over (their http://host:port URLs); takes effect for new connections. */
  setBackends(urls: readonly string[]): void;
  /** Connections currently open through the balancer, by backend URL. */
  connections(): Record<string, number>;
  /** Stops listening and cuts every open connection. Safe to call twice. */
  close(): Promise<void>;
}

interface Backend {
  url: string;
  host: string;
  port: number;
}

function parseBackend(url: string): Backend {
  const u = new URL(url);
  if (u.protocol !== 'http:' || u.port === '')
    throw new TypeError(`a backend needs http://host:port, got ${url}`);
  return { url, host: u.hostname, port: Number(u.port) };
}

/** Starts the balancer on a free loopback port with `backends` (possibly none yet). */
export async function startLoadBalancer(backends: readonly string[] = []): Promise<LoadBalancer> {
  let pool = backends.map(parseBackend);
  let next = 0;
  const open = new Map<net.Socket, string>();

  /** Connects `client` to a backend, trying each at most once from the next in turn. */
  const route = (client: net.Socket): void => {
    const order = pool.slice();
    const start = next++;
    let tried = 0;
    // Bytes the client sent before a backend answered: replayed to the backend that takes it.
    const early: Buffer[] = [];
    const hold = (chunk: Buffer) => early.push(chunk);
    client.on('data', hold);
    client.on('error', () => client.destroy());
    const attempt = (): void => {
      if (client.destroyed) return;
      if (tried >= order.length) {
        client.destroy();
        return;
      }
      const backend = order[(start + tried++) % order.length]!;
      const upstream = net.createConnection({ host: backend.host, port: backend.port });
      upstream.setNoDelay(true);
      const failed = (): void => {
        upstream.destroy();
        attempt();
      };
      upstream.once('error', failed);
      upstream.once('connect', () => {
        upstream.off('error', failed);
        client.off('data', hold);
        for (const chunk of early.splice(0)) upstream.write(chunk);
        open.set(client, backend.url);
        client.pipe(upstream);
        upstream.pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => {
          open.delete(client);
          upstream.destroy();
        });
      });
    };
    attempt();
  };

  const server = net.createServer({ noDelay: true }, route);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setBackends(urls) {
      pool = urls.map(parseBackend);
    },
    connections() {
      const out: Record<string, number> = {};
      for (const url of open.values()) out[url] = (out[url] ?? 0) + 1;
      return out;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open.keys()) socket.destroy();
      });
      return closed;
    },
  };
}
