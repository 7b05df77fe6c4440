/**
 * Deleting an organization survives SIGKILL: `npm run worker` processes on the Postgres server; the one holding
 * the offboarding lease is killed while the deployments are being removed, and again (whoever holds it then) as
 * soon as the job moves past that step; the survivor finishes. Every deployment is deleted once, nothing is left
 * in the simulated cloud, there is one final invoice and one receipt.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, invoices, jobLeases, mailOutbox, operations, organizations, orgOffboardings } from '~/db/schema';
import { makeDeployment, makeOrg, unlimitedQuota } from '~/test/fixtures';
import { openTestDatabase, type TestDb } from '~/test/harness';
import { cloudAudit, phasesOf, waitFor } from '~/test/reconciler';
import { databaseUrl, workerPool, type WorkerProcess } from '~/test/workers';
import { OFFBOARDING_LEASE } from './job';

describe('organization deletion crash safety (postgres, worker processes)', () => {
  let t: TestDb;
  let url: string;
  const workers = workerPool({ quiet: true });
  const env = { PLINTH_SANDBOX_LATENCY_MS: '300', PLINTH_LEASE_MS: '1500', PLINTH_OFFBOARDING_INTERVAL_MS: '100', PLINTH_OFFBOARDING_LEASE_MS: '1500', PLINTH_WORKER_CONCURRENCY: '8' };

  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    url = await databaseUrl(t);
  });
  afterAll(async () => {
    await workers.killAll();
    await t.drop();
  });

  const row = async (id: string) => (await t.db.select().from(orgOffboardings).where(eq(orgOffboardings.id, id)))[0]!;
  const leader = async (pool: WorkerProcess[]) => {
    const [lease] = await t.db.select().from(jobLeases).where(eq(jobLeases.name, OFFBOARDING_LEASE));
    return pool.find((w) => lease && lease.owner.includes(`:${w.pid}:`) && w.exitCode === null && w.signalCode === null);
  };

  it('resumes in another worker after the lease holder is SIGKILLed, twice', async () => {
    await unlimitedQuota(t.db);
    const { api, orgId, owner } = await makeOrg(t.db, 'Crashy Co');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await makeDeployment(api, orgId, `crashy-${i}`)).id);
    const first = workers.spawn(url, { ...env, PLINTH_SANDBOX_LATENCY_MS: '0' });
    await waitFor('ready', () => phasesOf(t, ids), (p) => p.ready === 4);
    await workers.kill(first);

    const { id } = await api.orgs.delete({ orgId, confirmName: 'Crashy Co' });
    const pool = [workers.spawn(url, env), workers.spawn(url, env)];
    // Killed while the reconciler removes the deployments (marked, not all deleted yet).
    await waitFor('deployments marked', () => row(id), (r) => !!r.deploymentsMarkedAt, 60_000);
    const holder = await waitFor('a lease holder', () => leader(pool), (w) => !!w, 30_000);
    await workers.kill(holder!);
    pool.push(workers.spawn(url, env));
    // And whoever holds it as soon as the job is past that step (mid-invoice, or between steps).
    await waitFor('past the deployments', () => row(id), (r) => r.step !== 'deployments', 90_000);
    const second = await leader(pool);
    if (second) await workers.kill(second);

    const done = await waitFor('deletion done', () => row(id), (r) => r.step === 'done', 90_000);
    expect(await phasesOf(t, ids)).toEqual({ deleted: 4 });
    const deletes = await t.db.select({ d: operations.deploymentId }).from(operations).where(and(inArray(operations.deploymentId, ids), eq(operations.kind, 'delete')));
    expect(deletes).toHaveLength(4);
    expect(await t.db.select().from(invoices).where(and(eq(invoices.orgId, orgId), eq(invoices.id, done.invoiceId!)))).toHaveLength(1);
    expect(await t.db.select().from(invoices).where(and(eq(invoices.orgId, orgId), eq(invoices.periodStart, (await t.db.select().from(invoices).where(eq(invoices.id, done.invoiceId!)))[0]!.periodStart)))).toHaveLength(1);
    expect(await t.db.select().from(mailOutbox).where(and(eq(mailOutbox.kind, 'org_deleted'), eq(mailOutbox.to, owner.user.email)))).toHaveLength(1);
    expect(done.evidence.deployments!.every((d) => d.appRemovedAt && d.infraRemovedAt)).toBe(true);
    expect((await t.db.select().from(organizations).where(eq(organizations.id, orgId)))[0]!.closedAt).not.toBeNull();
    expect(await t.db.select().from(deployments).where(and(eq(deployments.orgId, orgId), eq(deployments.phase, 'deleted')))).toHaveLength(4);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
  }, 240_000);
});
