/** Helpers for rollout tests: ready deployments in orgs, scheduler rounds on an injected clock, rollout state. */
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '~/db/client';
import { deployments, rolloutItems, rollouts } from '~/db/schema';
import type { RolloutPlanInput } from '~/lib/inputs/fleet';
import { runSchedulerRound } from '~/server/fleet/scheduler';
import { makeDeployment, makeOrg, unlimitedQuota } from './fixtures';
import { phasesOf, waitFor } from './reconciler';

/** An org with `n` deployments on 7.2.5, ready. A reconciler worker must be running. */
export async function readyFleet(database: Database, name: string, n: number) {
  await unlimitedQuota(database.db, 'starter');
  const o = await makeOrg(database.db, name);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await makeDeployment(o.api, o.orgId, `${name.toLowerCase()}-${i}`)).id);
  await waitFor(`${name} ready`, () => phasesOf(database, ids), (p) => p.ready === n);
  return { ...o, ids };
}

export const plan = (over: Partial<RolloutPlanInput> & { orgIds: string[] }): RolloutPlanInput => ({
  targetVersion: '7.4.1',
  selector: { orgIds: over.orgIds },
  noticeDays: 0,
  deadline: null,
  maxDefers: 0,
  canary: { size: 1, unit: 'count' },
  wavePercent: 50,
  maxConcurrency: 100,
  failureBudgetPct: 10,
  ...over,
});

export async function itemStates(database: Database, rolloutId: string) {
  const rows = await database.db.select({ status: rolloutItems.status }).from(rolloutItems).where(eq(rolloutItems.rolloutId, rolloutId));
  const out: Record<string, number> = {};
  for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

export async function rolloutStatus(database: Database, id: string) {
  const [r] = await database.db.select().from(rollouts).where(eq(rollouts.id, id));
  return r!;
}

/** Runs scheduler rounds at `now` until `done` holds for the rollout (the reconciler converges in between). */
export async function roundsUntil(database: Database, id: string, now: Date, done: (r: { status: string; states: Record<string, number> }) => boolean, owner = 'test-scheduler') {
  return waitFor(
    'rollout state',
    async () => {
      await runSchedulerRound(database.db, { now, owner, leaseMs: 60_000 });
      return { status: (await rolloutStatus(database, id)).status, states: await itemStates(database, id) };
    },
    done,
    20_000,
  );
}

/** Version each deployment runs and was last observed at. */
export async function versions(database: Database, ids: string[]) {
  const rows = await database.db.select().from(deployments).where(and(inArray(deployments.id, ids)));
  return rows.map((d) => ({ id: d.id, spec: d.spec.version, observed: d.observedSpec?.version, phase: d.phase, converged: d.observedGeneration === d.generation }));
}
