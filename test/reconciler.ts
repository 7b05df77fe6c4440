/** Helpers for reconciler tests: a zero-latency sandbox, workers with test timings, and waiting on Postgres. */
import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '~/db/client';
import { deployments, sandboxResources } from '~/db/schema';
import { createSandboxEngines, type SandboxOptions } from '~/server/reconciler/engines/sandbox';
import type { Engines } from '~/server/reconciler/engines/types';
import { Worker } from '~/server/reconciler/worker';
import { TEST_SECRET_KEY } from './harness';

export function sandbox(database: Database, options: Partial<SandboxOptions> = {}) {
  return createSandboxEngines(database.db, { latencyMs: 0, transientFaultRate: 0, permanentFaultRate: 0, ...options });
}

export async function startWorker(database: Database, engines: Engines, overrides: Partial<ConstructorParameters<typeof Worker>[0]> = {}) {
  const worker = new Worker({
    database,
    engines,
    secretKey: TEST_SECRET_KEY,
    concurrency: 16,
    leaseMs: 5000,
    pollMs: 50,
    healthPollMs: 10,
    backoffBaseMs: 5,
    log: () => {},
    ...overrides,
  });
  await worker.start();
  return worker;
}

export async function waitFor<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function phasesOf(database: Database, ids: string[]) {
  const rows = await database.db.select({ id: deployments.id, phase: deployments.phase }).from(deployments).where(inArray(deployments.id, ids));
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.phase] = (counts[r.phase] ?? 0) + 1;
  return counts;
}

/**
 * What the simulated cloud holds that it should not: resources of deleted (or unknown) deployments, and more than
 * one resource of a kind ever created for one deployment.
 */
export async function cloudAudit(database: Database) {
  const { db } = database;
  const orphans = await db
    .select({ n: count() })
    .from(sandboxResources)
    .leftJoin(deployments, eq(deployments.id, sandboxResources.deploymentId))
    .where(
      and(
        isNull(sandboxResources.destroyedAt),
        // A snapshot is kept by its own record while it is being taken or is available, whatever its deployment.
        sql`case when ${sandboxResources.kind} = 'snapshot'
          then not exists (select 1 from snapshots s where s.id = ${sandboxResources.deploymentId} and s.status in ('pending', 'available'))
          else (${deployments.id} is null or ${deployments.phase} = 'deleted') end`,
      ),
    );
  const doubles = await db
    .select({ deploymentId: sandboxResources.deploymentId, kind: sandboxResources.kind, n: count() })
    .from(sandboxResources)
    .groupBy(sandboxResources.deploymentId, sandboxResources.kind)
    .having(sql`count(*) > 1`);
  return { orphaned: orphans[0]?.n ?? 0, createdTwice: doubles.length };
}
