/** The deployment metrics the console charts, and the ranges it offers; client-safe. */
export const METRIC_RANGES = { '1h': { ms: 3_600_000, stepMs: 60_000 }, '24h': { ms: 86_400_000, stepMs: 900_000 }, '7d': { ms: 604_800_000, stepMs: 3_600_000 } } as const;
export type MetricRange = keyof typeof METRIC_RANGES;
export const METRICS = {
  memory_used_mb: { label: 'Memory used', unit: 'MB' },
  ops_per_s: { label: 'Operations', unit: 'ops/s' },
  connected_clients: { label: 'Connected clients', unit: 'clients' },
  hit_ratio: { label: 'Cache hit ratio', unit: '%' },
} as const;
export type MetricKey = keyof typeof METRICS;
export type Point = { t: number; v: number };
