/**
 * The worker's own small HTTP server (workers serve no app): `/metrics` for Prometheus, with the same bearer
 * token as the web's /metrics, and `/live` for the liveness probe. Off when the port is 0.
 */
import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { logger } from './logger';
import { renderMetrics } from './metrics';

export function serveWorkerMetrics(port: number, token: string | null): Promise<Server | null> {
  if (port === 0) return Promise.resolve(null);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://worker');
    if (url.pathname === '/live') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', uptimeS: Math.round(process.uptime()) }));
      return;
    }
    if (url.pathname !== '/metrics') return void res.writeHead(404).end();
    if (!token) return void res.writeHead(403).end('Metrics are off: set PLINTH_METRICS_TOKEN and send it as a bearer token.\n');
    const given = Buffer.from(req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? '');
    const want = Buffer.from(token);
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      return void res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('Send Authorization: Bearer <PLINTH_METRICS_TOKEN>.\n');
    }
    try {
      const { body, contentType } = await renderMetrics();
      res.writeHead(200, { 'content-type': contentType }).end(body);
    } catch (e) {
      logger.error({ err: e }, 'metrics scrape failed');
      res.writeHead(500).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      logger.info({ port }, 'worker metrics listening');
      resolve(server);
    });
  });
}
