/**
 * Metrics from Prometheus (PROMETHEUS_URL), scraped from the chart's redis_exporter sidecar, whose series carry
 * the `plinth_deployment` label (deploy/helm/redis: `metrics.podLabels`). One `query_range` per metric:
 *
 *   memory_used_mb     redis_memory_used_bytes{plinth_deployment="<id>"} / 1048576
 *   ops_per_s          sum(rate(redis_commands_processed_total{plinth_deployment="<id>"}[5m]))
 *   connected_clients  sum(redis_connected_clients{plinth_deployment="<id>"})
 *   hit_ratio          100 * sum(rate(redis_keyspace_hits_total{…}[5m]))
 *                        / clamp_min(sum(rate(redis_keyspace_hits_total{…}[5m])) + sum(rate(redis_keyspace_misses_total{…}[5m])), 1e-9)
 */
import { TransientError } from '../reconciler/engines/types';
import { METRIC_RANGES, type MetricKey, type Point } from '~/lib/metrics';
import type { MetricsSource } from './source';

export function promql(metric: MetricKey, id: string): string {
  const sel = `{plinth_deployment="${id}"}`;
  switch (metric) {
    case 'memory_used_mb':
      return `max(redis_memory_used_bytes${sel}) / 1048576`;
    case 'ops_per_s':
      return `sum(rate(redis_commands_processed_total${sel}[5m]))`;
    case 'connected_clients':
      return `sum(redis_connected_clients${sel})`;
    case 'hit_ratio':
      return `100 * sum(rate(redis_keyspace_hits_total${sel}[5m])) / clamp_min(sum(rate(redis_keyspace_hits_total${sel}[5m])) + sum(rate(redis_keyspace_misses_total${sel}[5m])), 1e-9)`;
  }
}

export function prometheusMetrics(baseUrl: string, fetchImpl: typeof fetch = fetch): MetricsSource {
  return {
    name: 'prometheus',
    async series(d, metric, range, now) {
      const { ms, stepMs } = METRIC_RANGES[range];
      const url = new URL('/api/v1/query_range', baseUrl);
      url.searchParams.set('query', promql(metric, d.id));
      url.searchParams.set('start', String((now.getTime() - ms) / 1000));
      url.searchParams.set('end', String(now.getTime() / 1000));
      url.searchParams.set('step', `${stepMs / 1000}s`);
      const res = await fetchImpl(url, { signal: AbortSignal.timeout(10_000) }).catch((e: Error) => {
        throw new TransientError(`Prometheus did not answer: ${e.message}`);
      });
      const body = (await res.json().catch(() => null)) as { status?: string; error?: string; data?: { result?: Array<{ values?: [number, string][] }> } } | null;
      if (!res.ok || body?.status !== 'success') throw new TransientError(`Prometheus refused the query: ${body?.error ?? `HTTP ${res.status}`}`);
      const values = body.data?.result?.[0]?.values ?? [];
      return values.map(([t, v]): Point => ({ t: t * 1000, v: Number(v) })).filter((p) => Number.isFinite(p.v));
    },
  };
}
