/**
 * Where deployment metrics come from: the sandbox's generated series, or Prometheus (PROMETHEUS_URL). Both answer
 * the same four metrics over a range, as points on a fixed step; a source never queries Plinth's tables.
 */
import type { DeploymentSpec } from '~/db/schema';
import type { MetricKey, MetricRange, Point } from '~/lib/metrics';

export type MetricsTarget = { id: string; spec: DeploymentSpec; createdAt: Date };
export interface MetricsSource {
  readonly name: string;
  series(d: MetricsTarget, metric: MetricKey, range: MetricRange, now: Date): Promise<Point[]>;
}
