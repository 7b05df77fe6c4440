import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { DeploymentSpec } from '~/db/schema';
import { prometheusMetrics, promql } from './prometheus';
import { sandboxMetrics } from './sandbox';

const spec = (memoryMb: number): DeploymentSpec => ({ plan: 'pro', version: '7.2.5', region: 'eu-west-1', memoryMb, replicas: 0, persistence: true, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } });
const now = new Date('2026-11-22T08:00:00Z');
const target = (memoryMb: number, createdAt = new Date('2026-01-01T00:00:00Z')) => ({ id: '6f1c2a3b-0000-4000-8000-000000000001', spec: spec(memoryMb), createdAt });

describe('sandbox metrics', () => {
  it('gives one point per step over the range, within the size, stable between calls', async () => {
    const mem = await sandboxMetrics.series(target(1024), 'memory_used_mb', '1h', now);
    expect(mem).toHaveLength(61);
    expect(mem.every((p) => p.v > 0 && p.v <= 1024)).toBe(true);
    expect(await sandboxMetrics.series(target(1024), 'memory_used_mb', '1h', now)).toEqual(mem);
    expect(await sandboxMetrics.series(target(1024), 'ops_per_s', '7d', now)).toHaveLength(169);
    const hits = await sandboxMetrics.series(target(1024), 'hit_ratio', '24h', now);
    expect(hits.every((p) => p.v >= 80 && p.v <= 100)).toBe(true);
  });
  it('scales with memory and starts when the deployment was created', async () => {
    const sum = async (mb: number) => (await sandboxMetrics.series(target(mb), 'ops_per_s', '24h', now)).reduce((s, p) => s + p.v, 0);
    expect(await sum(4096)).toBeGreaterThan((await sum(256)) * 8);
    expect(await sandboxMetrics.series(target(256, new Date(now.getTime() - 10 * 60_000)), 'connected_clients', '1h', now)).toHaveLength(11);
  });
});

describe('prometheus metrics adapter (real HTTP)', () => {
  it('sends the documented PromQL with the range and step, and reads the matrix', async () => {
    const seen: URL[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      seen.push(url);
      res.setHeader('content-type', 'application/json');
      if (url.searchParams.get('query')!.includes('redis_connected_clients')) {
        res.statusCode = 400;
        res.end(JSON.stringify({ status: 'error', error: 'parse error' }));
        return;
      }
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[1700000000, '12.5'], [1700000060, 'NaN'], [1700000120, '13']] }] } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const source = prometheusMetrics(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const points = await source.series(target(256), 'memory_used_mb', '24h', now);
      expect(points).toEqual([{ t: 1700000000000, v: 12.5 }, { t: 1700000120000, v: 13 }]);
      expect(seen[0]!.pathname).toBe('/api/v1/query_range');
      expect(seen[0]!.searchParams.get('query')).toBe(promql('memory_used_mb', target(256).id));
      expect(seen[0]!.searchParams.get('step')).toBe('900s');
      expect(Number(seen[0]!.searchParams.get('end')) - Number(seen[0]!.searchParams.get('start'))).toBe(86_400);
      await expect(source.series(target(256), 'connected_clients', '1h', now)).rejects.toThrow('Prometheus refused the query: parse error');
    } finally {
      server.close();
    }
  });
});
