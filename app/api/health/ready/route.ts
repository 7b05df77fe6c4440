import { getDatabase } from '~/server/db';
import { readiness } from '~/server/observability/health';

/** Readiness: 200 when this replica can serve (database, migrations at head, engines checked, not draining), else 503 with the failing checks. */
export const dynamic = 'force-dynamic';

export async function GET() {
  const r = await readiness(getDatabase);
  return Response.json({ status: r.ready ? 'ok' : 'unavailable', checks: r.checks }, { status: r.ready ? 200 : 503 });
}
