import { sql } from 'drizzle-orm';
import { getDatabase } from '~/server/db';

/** Liveness and readiness in one: answers 200 only when the database answers. */
export async function GET() {
  try {
    const { db, kind } = await getDatabase();
    await db.execute(sql`select 1`);
    return Response.json({ status: 'ok', database: kind });
  } catch (e) {
    console.error('[health]', e);
    return Response.json({ status: 'error', message: 'database unavailable' }, { status: 503 });
  }
}
