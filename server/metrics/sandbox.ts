/**
 * Plausible series for sandbox deployments, derived from the deployment's size: memory fills towards 40–85% of
 * its limit, traffic follows a daily curve scaled by memory, clients follow traffic, and the hit ratio wobbles
 * around 90%. Deterministic per (deployment, timestamp), so a chart does not jump between refreshes; nothing
 * before the deployment was created.
 */
import { METRIC_RANGES, type MetricKey, type Point } from '~/lib/metrics';
import type { MetricsSource, MetricsTarget } from './source';

/** A number in [0, 1) from a string: the same input always gives the same value. */
function noise(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return ((h >>> 0) % 100_000) / 100_000;
}

export function sandboxValue(d: MetricsTarget, metric: MetricKey, t: number): number {
  const n = noise(`${d.id}:${metric}:${t}`);
  const daily = 0.6 + 0.4 * Math.sin(((t / 3_600_000) % 24) * (Math.PI / 12));
  const base = noise(d.id); // each deployment its own level
  switch (metric) {
    case 'memory_used_mb':
      return Math.round(d.spec.memoryMb * (0.4 + 0.45 * base) * (0.97 + 0.06 * n));
    case 'ops_per_s':
      return Math.round((d.spec.memoryMb / 256) * 120 * (0.5 + base) * daily * (0.85 + 0.3 * n));
    case 'connected_clients':
      return Math.max(1, Math.round((d.spec.memoryMb / 256) * 6 * (0.5 + base) * daily * (0.9 + 0.2 * n)));
    case 'hit_ratio':
      return Math.round((86 + 8 * base + 4 * (n - 0.5)) * 10) / 10;
  }
}

export const sandboxMetrics: MetricsSource = {
  name: 'sandbox',
  async series(d, metric, range, now) {
    const { ms, stepMs } = METRIC_RANGES[range];
    const end = Math.floor(now.getTime() / stepMs) * stepMs;
    const start = Math.max(end - ms, Math.ceil(d.createdAt.getTime() / stepMs) * stepMs);
    const points: Point[] = [];
    for (let t = start; t <= end; t += stepMs) points.push({ t, v: sandboxValue(d, metric, t) });
    return points;
  },
};
