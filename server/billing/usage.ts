/** Usage for the console's charts, read from the roll-ups (an org-hour table and a deployment-day table). */
import { and, asc, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { deployments, usageDeploymentDaily, usageOrgHourly } from '~/db/schema';

export type UsageRange = { from: Date; to: Date; granularity: 'hour' | 'day' };

/** Buckets over the range per meter, for a stacked chart. */
export async function usageSeries(db: DbOrTx, orgId: string, r: UsageRange) {
  const bucket = r.granularity === 'hour' ? sql`${usageOrgHourly.hourStart}` : sql`date_trunc('day', ${usageOrgHourly.hourStart} at time zone 'UTC') at time zone 'UTC'`;
  const rows = await db
    .select({
      at: sql<string>`${bucket}`.as('at'),
      meter: usageOrgHourly.meter,
      quantity: sql<number>`sum(${usageOrgHourly.quantity})::float8`,
      amountCentiCents: sql<number>`sum(${usageOrgHourly.amountCentiCents})::float8`,
    })
    .from(usageOrgHourly)
    .where(and(eq(usageOrgHourly.orgId, orgId), gte(usageOrgHourly.hourStart, r.from), lt(usageOrgHourly.hourStart, r.to)))
    .groupBy(sql`1`, usageOrgHourly.meter)
    .orderBy(sql`1`);
  return rows.map((row) => ({ ...row, at: new Date(row.at) }));
}

/** Totals per deployment and meter over whole days of the range, largest first. */
export async function usageByDeployment(db: DbOrTx, orgId: string, r: { from: Date; to: Date }, limit = 50) {
  const fromDay = r.from.toISOString().slice(0, 10);
  const toDay = r.to.toISOString().slice(0, 10);
  return db
    .select({
      deploymentId: usageDeploymentDaily.deploymentId,
      name: sql<string>`coalesce(${deployments.name}, 'deleted deployment')`,
      hours: sql<number>`sum(case when ${usageDeploymentDaily.meter} = 'deployment_hours' then ${usageDeploymentDaily.quantity} else 0 end)::float8`,
      gbHours: sql<number>`sum(case when ${usageDeploymentDaily.meter} = 'storage_gb_hours' then ${usageDeploymentDaily.quantity} else 0 end)::float8`,
      amountCentiCents: sql<number>`sum(${usageDeploymentDaily.amountCentiCents})::float8`,
    })
    .from(usageDeploymentDaily)
    .leftJoin(deployments, eq(deployments.id, usageDeploymentDaily.deploymentId))
    .where(and(eq(usageDeploymentDaily.orgId, orgId), gte(usageDeploymentDaily.day, fromDay), sql`${usageDeploymentDaily.day} <= ${toDay}`))
    .groupBy(usageDeploymentDaily.deploymentId, deployments.name)
    .orderBy(desc(sql`sum(${usageDeploymentDaily.amountCentiCents})`), asc(sql`2`))
    .limit(limit);
}
