/**
 * What one deployment costs the vendor for an hour, by what it holds. This is the rule every cost figure comes
 * from; cost metering (./metering.ts) runs the SQL form of it, built from the same table, so the two cannot drift.
 *
 * Components of an hour's cost:
 * - compute: the engine's own figure when it gives one (sandbox, Terraform's `hourly_cost_cents`), otherwise the
 *   cost model's compute rate, plus the shared-cluster share on the shared tier;
 * - storage: the model's rate per GB-hour × the deployment's disk;
 * - overhead: the control plane's fixed cost per deployment.
 * A BYOC deployment runs in the customer's cloud, which the customer pays: it costs the vendor the overhead only.
 */
import { sql, type SQL } from 'drizzle-orm';

/**
 * What a deployment holds in each segment state (billing_segments.state). A stopped deployment keeps its disk and
 * nothing else: it costs its storage only. A failed or deleting one ('held') still holds everything it had.
 */
export const COST_BY_STATE = {
  running: { compute: true, storage: true, overhead: true },
  held: { compute: true, storage: true, overhead: true },
  stopped: { compute: false, storage: true, overhead: false },
  deleted: { compute: false, storage: false, overhead: false },
} as const;
export type CostState = keyof typeof COST_BY_STATE;

export type CostRateFigures = {
  computeCentiCentsPerHour: number;
  storageCentiCentsPerGbHour: number;
  sharedClusterCentiCentsPerHour: number;
  overheadCentiCentsPerHour: number;
};
export type Holding = { state: string; tier: 'shared' | 'dedicated' | 'byoc'; storageGb: number; engineCentiCentsPerHour: number | null };

/** A segment without a state predates it: billable means running, otherwise it was failed or deleting. */
export const stateOf = (state: string | null, billable: boolean): CostState =>
  state && state in COST_BY_STATE ? (state as CostState) : state ? 'held' : billable ? 'running' : 'held';

/** The components of one hour, before the state decides which of them count. */
function components(rate: CostRateFigures, h: Holding) {
  if (h.tier === 'byoc') return { compute: 0, storage: 0, overhead: rate.overheadCentiCentsPerHour };
  const shared = h.tier === 'shared' ? rate.sharedClusterCentiCentsPerHour : 0;
  return {
    compute: h.engineCentiCentsPerHour ?? rate.computeCentiCentsPerHour + shared,
    storage: rate.storageCentiCentsPerGbHour * h.storageGb,
    overhead: rate.overheadCentiCentsPerHour,
  };
}

/** One full hour's cost in hundredths of a cent. */
export function hourlyCost(rate: CostRateFigures, h: Holding): number {
  const rule = COST_BY_STATE[stateOf(h.state, true)];
  const c = components(rate, h);
  return (rule.compute ? c.compute : 0) + (rule.storage ? c.storage : 0) + (rule.overhead ? c.overhead : 0);
}

/**
 * The same rule in SQL over columns named as in cost metering's `pieces`: state, tier, storage_gb, engine_cost and
 * the cost_rates columns (compute, storage_rate, shared, overhead).
 */
export function hourlyCostSql(): SQL {
  const compute = sql`case when tier = 'byoc' then 0 else coalesce(engine_cost, compute + case when tier = 'shared' then shared else 0 end) end`;
  const storage = sql`case when tier = 'byoc' then 0 else storage_rate * storage_gb end`;
  const overhead = sql`overhead`;
  const branches = (Object.keys(COST_BY_STATE) as CostState[]).map((state) => {
    const rule = COST_BY_STATE[state];
    const parts = [rule.compute ? compute : null, rule.storage ? storage : null, rule.overhead ? overhead : null].filter((p): p is SQL => p !== null);
    return sql`when ${sql.raw(`'${state}'`)} then ${parts.length ? sql.join(parts, sql` + `) : sql`0`}`;
  });
  return sql`(case state ${sql.join(branches, sql` `)} end)`;
}

/**
 * The SQL form of stateOf, over billing_segments `s`. The reconciler writes a stopped deployment's segment as
 * billable with `compute = false` (usage bills its storage only): that is the stopped state here too.
 */
export const stateSql = sql.raw(
  `case when s.state in (${Object.keys(COST_BY_STATE).map((k) => `'${k}'`).join(', ')}) then s.state when s.state is not null then 'held' when s.billable and not s.compute then 'stopped' when s.billable then 'running' else 'held' end`,
);
