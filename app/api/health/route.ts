import { sql } from 'drizzle-orm';
import { getDatabase } from '~/server/db';
import { logger } from '~/server/observability/logger';

/** The original combined check, kept for existing monitors: 200 only when the database answers. Prefer /api/health/live and /ready. */
export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    const { db, kind } = await getDatabase();
    await db.execute(sql`select 1`);
    return Response.json({ status: 'ok', database: kind });
  } catch (e) {
    logger.error({ err: e }, 'health check: database unavailable');
    return Response.json({ status: 'error', message: 'database unavailable' }, { status: 503 });
  }
}
