/** The deployment page's charts: every metric over the chosen range, from the process's metrics source. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { deployments } from '~/db/schema';
import { METRICS, type MetricKey, type MetricRange } from '~/lib/metrics';
import type { OrgActor } from '../../actor';
import { AppError } from '../../errors';
import { prometheusMetrics } from '../../metrics/prometheus';
import { sandboxMetrics } from '../../metrics/sandbox';

export async function deploymentMetrics(
  db: Db,
  actor: Pick<OrgActor, 'orgId'>,
  input: { deploymentId: string; range: MetricRange },
  deps: { prometheusUrl: string | null; now?: Date },
) {
  const [d] = await db
    .select({ id: deployments.id, spec: deployments.spec, createdAt: deployments.createdAt, deliveryEngine: deployments.deliveryEngine, phase: deployments.phase })
    .from(deployments)
    .where(and(eq(deployments.id, input.deploymentId), eq(deployments.orgId, actor.orgId)));
  if (!d) throw new AppError('NOT_FOUND', 'That deployment does not exist in this organization.');
  if (d.phase === 'deleted') return { source: 'none', metrics: [] };
  // Sandbox deployments have generated series; real ones are read from Prometheus when it is configured.
  const source = d.deliveryEngine === 'sandbox' ? sandboxMetrics : deps.prometheusUrl ? prometheusMetrics(deps.prometheusUrl) : null;
  if (!source) return { source: 'none', metrics: [] };
  const now = deps.now ?? new Date();
  const keys = Object.keys(METRICS) as MetricKey[];
  try {
    const series = await Promise.all(keys.map((k) => source.series(d, k, input.range, now)));
    return { source: source.name, metrics: keys.map((k, i) => ({ key: k, ...METRICS[k], points: series[i]! })) };
  } catch (e) {
    throw new AppError('PRECONDITION_FAILED', `Metrics are unavailable right now (${(e as Error).message}). Try again in a minute.`);
  }
}
