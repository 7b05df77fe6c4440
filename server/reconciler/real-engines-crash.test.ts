/**
 * Crash safety with the real adapters: `npm run worker` processes configured for Terraform (emulated CLI) and
 * Argo CD (emulated API, local GitOps repository) purely through env, one killed with SIGKILL mid-provision and
 * another mid-delete. Terraform runs they started finish or hold their state lock; the next worker waits for
 * it, resumes, and nothing is orphaned or created twice.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments } from '~/db/schema';
import { argoSetup, PLATFORM_VARS, tenantFolders, TERRAFORM_EMULATOR, terraformSetup } from '~/test/engines';
import { makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { databaseUrl, workerPool } from '~/test/workers';
import { phasesOf, waitFor } from '~/test/reconciler';

const N = 10;

describe('crash safety with Terraform and Argo CD adapters (postgres, worker processes)', () => {
  let t: TestDb;
  let tf: Awaited<ReturnType<typeof terraformSetup>>;
  let argo: Awaited<ReturnType<typeof argoSetup>>;
  let url: string;
  const workers = workerPool();
  const worker = () =>
    workers.spawn(url, {
      PLINTH_LEASE_MS: '1500',
      PLINTH_WORKER_CONCURRENCY: String(N),
      PLINTH_HEALTH_POLL_MS: '100',
      PLINTH_INFRA_ENGINE: 'terraform',
      TERRAFORM_BIN: TERRAFORM_EMULATOR,
      PG_CONN_STR: tf.pgConnStr,
      TF_EMULATOR_CONTROL: tf.options.env!.TF_EMULATOR_CONTROL,
      ...PLATFORM_VARS,
      PLINTH_DELIVERY_ENGINE: 'argocd',
      ARGOCD_SERVER: argo.emulator.url,
      ARGOCD_TOKEN: argo.emulator.token,
      GITOPS_REPO_URL: argo.repo,
    });
  const cloud = (where: 'live' | 'destroyed') =>
    tf.sql<{ n: number }[]>`select count(*)::int as n from terraform_emulator.cloud where ${where === 'live' ? tf.sql`destroyed_at is null` : tf.sql`destroyed_at is not null`}`.then(
      (r) => r[0]!.n,
      () => 0, // before the first terraform init has created the emulator's tables
    );

  beforeAll(async () => {
    [t, tf, argo] = await Promise.all([openTestDatabase('postgres'), terraformSetup(), argoSetup()]);
    url = await databaseUrl(t);
    // Slow resources, so a kill lands in the middle of an apply.
    tf.control('all', { slowMs: 150 });
  });
  afterAll(async () => {
    await workers.killAll();
    await new Promise((r) => setTimeout(r, 500)); // let orphaned terraform runs finish before the database goes
    await argo.close();
    await tf.drop();
    await t.drop();
  });

  it('resumes provisioning and deletion after SIGKILL, with nothing orphaned or created twice', async () => {
    const owner = await makeUser(t.db, 'real-crash@example.test');
    const org = await owner.api.orgs.create({ name: 'RealCrash' });
    await t.db.execute(sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null') where slug = 'starter'`);
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      ids.push((await owner.api.deployments.create({ orgId: org.id, name: `crash-${i}`, plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() })).id);
    }

    const first = worker();
    await waitFor('provisioning under way', () => cloud('live'), (n) => n >= 8, 60_000);
    const midway = await phasesOf(t, ids);
    await workers.kill(first);
    expect(midway.ready ?? 0).toBeLessThan(N);

    worker();
    await waitFor('all ready after the crash', () => phasesOf(t, ids), (p) => p.ready === N, 120_000);
    expect(await tf.audit()).toMatchObject({ createdTwice: 0 });
    expect(await cloud('live')).toBe(N * 6);
    expect((await tenantFolders(argo.repo)).length).toBe(N);

    for (const id of ids) {
      const [d] = await t.db.select({ name: deployments.name }).from(deployments).where(eq(deployments.id, id));
      await owner.api.deployments.delete({ orgId: org.id, deploymentId: id, confirmName: d!.name });
    }
    await waitFor('some infrastructure destroyed', () => cloud('destroyed'), (n) => n >= 6, 60_000);
    const mid = await phasesOf(t, ids);
    await workers.killAll();
    expect(mid.deleted ?? 0).toBeLessThan(N);

    worker();
    await waitFor('all deleted after the crash', () => phasesOf(t, ids), (p) => p.deleted === N, 120_000);
    expect(await tf.audit(ids)).toEqual({ orphaned: 0, createdTwice: 0, workspacesLeft: 0 });
    expect(await cloud('live')).toBe(0);
    expect(await tenantFolders(argo.repo)).toEqual([]);
    await waitFor('applications gone', async () => argo.emulator.apps().length, (n) => n === 0, 10_000);
  }, 300_000);
});
