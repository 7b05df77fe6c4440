import { timingSafeEqual } from 'node:crypto';
import { env } from '~/server/env';
import { getDb } from '~/server/db';
import { renderMetrics, setMetricsDatabase } from '~/server/observability/metrics';

/**
 * Prometheus scrape endpoint. Refused unless the request carries `Authorization: Bearer $PLINTH_METRICS_TOKEN`;
 * with no token configured it is off (queue depth and tenant-level traffic are not for the public internet).
 */
export const dynamic = 'force-dynamic';

export async function GET(req: Request) {
  const token = env.observability.metricsToken;
  if (!token) {
    return Response.json({ error: 'Metrics are off: set PLINTH_METRICS_TOKEN and send it as a bearer token.' }, { status: 403 });
  }
  if (!bearerMatches(req.headers.get('authorization'), token)) {
    return Response.json({ error: 'Send Authorization: Bearer <PLINTH_METRICS_TOKEN>.' }, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  }
  setMetricsDatabase(await getDb());
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}

function bearerMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
