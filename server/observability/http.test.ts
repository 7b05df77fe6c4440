/** The tRPC route wrapper: request ids, per-procedure durations with bounded labels, one log line per request. */
import { describe, expect, it } from 'vitest';
import { instrumentTrpc, proceduresOf } from './http';
import { renderMetrics } from './metrics';

const known = new Set(['deployments.list', 'deployments.get', 'catalog.get']);

describe('proceduresOf', () => {
  it('names each procedure of a batch, and only procedures the router has', () => {
    const url = (p: string) => new URL(`http://x/api/trpc/${p}?batch=1`);
    expect(proceduresOf(url('deployments.list,deployments.get'), '/api/trpc', known)).toEqual(['deployments.list', 'deployments.get']);
    expect(proceduresOf(url('made.up.name'), '/api/trpc', known)).toEqual(['unknown']);
    expect(proceduresOf(url('%E0%A4%A'), '/api/trpc', known)).toEqual(['unknown']);
    expect(proceduresOf(new URL('http://x/api/trpc'), '/api/trpc', known)).toEqual(['unknown']);
  });
});

describe('instrumentTrpc', () => {
  const handler = instrumentTrpc('/api/trpc', known, async (req) =>
    req.url.includes('boom') ? Promise.reject(new Error('boom')) : Response.json({ ok: true }, { status: req.url.includes('catalog') ? 404 : 200 }),
  );

  it('echoes a sane x-request-id, replaces a bad one, and records the duration per procedure and status', async () => {
    const a = await handler(new Request('http://x/api/trpc/deployments.list,deployments.get', { headers: { 'x-request-id': 'ingress-abc.1' } }));
    expect(a.headers.get('x-request-id')).toBe('ingress-abc.1');
    expect(await a.json()).toEqual({ ok: true });
    const b = await handler(new Request('http://x/api/trpc/catalog.get', { headers: { 'x-request-id': 'bad id\nwith newline'.replace('\n', ' ') } }));
    expect(b.status).toBe(404);
    expect(b.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const text = (await renderMetrics()).body;
    expect(text).toMatch(/^plinth_http_request_duration_seconds_count\{procedure="deployments\.get",method="GET",status="200"\} [1-9]/m);
    expect(text).toMatch(/^plinth_http_request_duration_seconds_count\{procedure="catalog\.get",method="GET",status="404"\} [1-9]/m);
  });

  it('records a thrown handler as a 500 and rethrows', async () => {
    await expect(handler(new Request('http://x/api/trpc/boom', { method: 'POST' }))).rejects.toThrow('boom');
    expect((await renderMetrics()).body).toMatch(/^plinth_http_request_duration_seconds_count\{procedure="unknown",method="POST",status="500"\} [1-9]/m);
  });
});
