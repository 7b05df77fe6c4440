/** The tRPC endpoint's own limits, over real HTTP: batch size, body size, and no caching of API responses. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { serveTrpc, type TestServer } from '~/test/http';
import { MAX_BATCH, MAX_BODY_BYTES } from './http';

describe('tRPC over HTTP', () => {
  let t: TestDb;
  let server: TestServer;
  let userId: string;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    userId = (await makeUser(t.db, 'http@plinth.test')).user.id;
    server = await serveTrpc(t.db);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  const batch = (n: number) => {
    const paths = Array.from({ length: n }, () => 'catalog.get').join(',');
    const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: { product: 'redis' } }]));
    return fetch(`${server.url}/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
  };

  it(`serves a batch of ${MAX_BATCH} and refuses ${MAX_BATCH + 1} with a 400 that says the limit`, async () => {
    const ok = await batch(MAX_BATCH);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as unknown[]).length).toBe(MAX_BATCH);
    const over = await batch(MAX_BATCH + 1);
    expect(over.status).toBe(400);
    expect(JSON.stringify(await over.json())).toContain(`A batch may hold at most ${MAX_BATCH} calls; this one has ${MAX_BATCH + 1}.`);
    expect((await batch(100)).status).toBe(400);
  });

  it('refuses a body over the limit with a 413 that says so, declared or streamed', async () => {
    const body = JSON.stringify({ json: { name: 'x'.repeat(MAX_BODY_BYTES) } });
    const declared = await fetch(`${server.url}/orgs.create`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-user': userId }, body });
    expect(declared.status).toBe(413);
    expect(JSON.stringify(await declared.json())).toContain('larger than 256 KB');
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(body));
        c.close();
      },
    });
    const chunked = await fetch(`${server.url}/orgs.create`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-user': userId }, body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await t.db.query.organizations.findMany()).toEqual([]);
  });

  it('marks API responses no-store, signed in or not, success or error', async () => {
    const me = await fetch(`${server.url}/auth.me`, { headers: { 'x-test-user': userId } });
    expect([me.status, me.headers.get('cache-control')]).toEqual([200, 'no-store']);
    const anon = await fetch(`${server.url}/auth.me`);
    expect([anon.status, anon.headers.get('cache-control')]).toEqual([401, 'no-store']);
  });
});
