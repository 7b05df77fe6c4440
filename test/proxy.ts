/**
 * A TCP proxy between one worker and Postgres, to partition that worker from the database: `hang()` stops
 * forwarding in both directions (connections stay open, bytes are lost, new connections get no answer), `heal()` cuts
 * every connection made so far and forwards again, as a network that comes back with its connections reset.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export async function startProxy(target: { host: string; port: number }) {
  const pairs = new Set<[Socket, Socket]>();
  let hung = false;
  const server = createServer((client) => {
    const upstream = createConnection(target);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    // Bytes that arrive while hung go nowhere: heal() resets these connections anyway.
    client.on('data', (b) => void (hung || upstream.write(b)));
    upstream.on('data', (b) => void (hung || client.write(b)));
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    /** The URL `url` with its host and port replaced by the proxy's. */
    via(url: string) {
      const u = new URL(url);
      u.host = `127.0.0.1:${port}`;
      return u.toString();
    },
    hang() {
      hung = true;
    },
    heal() {
      hung = false;
      for (const [a, b] of [...pairs]) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => r());
      }),
  };
}
