/**
 * Workers heartbeat a row of their own whether or not they hold a lease, so the health page tells a live idle
 * worker from a dead one: idle while it beats, stopped after a clean stop, dead when silent for three beats.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerHeartbeats } from '~/db/schema';
import { reconcilerHealth } from '~/server/reconciler/health';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { sandbox, startWorker } from '~/test/reconciler';

describe.each(drivers)('worker heartbeats (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t?.drop());

  it('shows an idle worker as alive, a stopped one as stopped and a silent one as dead', async () => {
    const worker = await startWorker(t, sandbox(t), { leaseMs: 3000 });
    const row = async () => (await t.db.select().from(workerHeartbeats).where(eq(workerHeartbeats.workerId, worker.id)))[0];
    expect(await row()).toMatchObject({ beatEveryMs: 1000, stoppedAt: null });
    const idle = (await reconcilerHealth(t.db)).workers.find((w) => w.owner === worker.id);
    expect(idle).toMatchObject({ status: 'idle', live: true, leases: [] });

    await worker.stop();
    expect((await row())!.stoppedAt).not.toBeNull();
    expect((await reconcilerHealth(t.db)).workers.find((w) => w.owner === worker.id)).toMatchObject({ status: 'stopped', live: false });

    // A worker that vanished without stopping: its last beat is older than three beats (moved back on the db clock).
    await t.db.insert(workerHeartbeats).values({ workerId: 'gone:1:dead', beatEveryMs: 1000, lastSeenAt: sql`now() - interval '10 seconds'` });
    expect((await reconcilerHealth(t.db)).workers.find((w) => w.owner === 'gone:1:dead')).toMatchObject({ status: 'dead', live: false });
  });
});
