/**
 * Outbound webhooks against a local receiver: signed deliveries the receiver verifies, retries after 500s and
 * timeouts, redelivery, send test, only subscribed events, and private addresses refused both when an endpoint
 * is registered and when a delivery connects (unless PLINTH_WEBHOOKS_ALLOW_PRIVATE).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webhookDeliveries } from '~/db/schema';
import { createCaller } from '~/server/api/root';
import { emitEvent } from '~/server/events';
import { makeOrg } from '~/test/fixtures';
import { drivers, openTestDatabase, TEST_SECRET_KEY, testConfig, type TestDb } from '~/test/harness';
import { isPrivateAddress } from './address';
import { deliverDue, fanOutEvents, runWebhookJobs } from './deliver';
import { verifySignature } from './signature';

type Received = { headers: IncomingMessage['headers']; body: string };

/** A receiver whose next answers are scripted: a status code, or 'hang' (never answers). */
async function receiver() {
  const received: Received[] = [];
  const script: Array<number | 'hang'> = [];
  const hanging: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const next = script.shift() ?? 200;
      if (next === 'hang') hanging.push(() => res.destroy());
      else res.writeHead(next).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    script,
    close: () => new Promise<void>((r) => (hanging.forEach((h) => h()), server.close(() => r()))),
  };
}

const opts = { secretKey: TEST_SECRET_KEY, allowPrivate: true, timeoutMs: 2000, backoffBaseMs: 1 };

it('classifies private, loopback, link-local and mapped addresses', () => {
  for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
    expect({ a, private: isPrivateAddress(a) }).toEqual({ a, private: true });
  }
  for (const a of ['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect({ a, private: isPrivateAddress(a) }).toEqual({ a, private: false });
});

describe.each(drivers)('webhooks (%s)', (driver) => {
  let t: TestDb;
  let rx: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    rx = await receiver();
  });
  afterAll(async () => {
    await rx.close();
    await t.drop();
  });
  beforeEach(() => {
    rx.received.length = 0;
    rx.script.length = 0;
  });

  const setup = async (allowPrivate = true) => {
    const o = await makeOrg(t.db, 'Hooks');
    const api = createCaller({ db: t.db, userId: o.owner.user.id, ip: '203.0.113.1', config: { ...testConfig, webhooks: { allowPrivate } } });
    return { ...o, api };
  };
  const emit = (orgId: string, type: 'deployment.ready' | 'invoice.issued', data: Record<string, unknown> = {}) => t.db.transaction((tx) => emitEvent(tx, { orgId, type, data }));
  const deliveryOf = async (id: string) => (await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))[0]!;

  it('refuses private and loopback URLs at registration, unknown events and bad URLs, and stores nothing', async () => {
    const { api, orgId } = await setup(false);
    for (const url of [rx.url, `http://localhost:${rx.port}/x`, 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://10.0.0.5/x', 'http://[::ffff:127.0.0.1]/x']) {
      const err = await api.webhooks.create({ orgId, url, events: ['deployment.ready'] }).then(() => null, (e: { code: string; message: string }) => e);
      expect({ url, code: err?.code }).toEqual({ url, code: 'BAD_REQUEST' });
      expect(err!.message).toMatch(/private, loopback or link-local/);
    }
    const unknown = await api.webhooks.create({ orgId, url: 'https://93.184.215.14/x', events: ['deployment.exploded' as 'deployment.ready'] }).then(() => null, (e: { code: string }) => e.code);
    expect(unknown).toBe('BAD_REQUEST');
    const creds = await api.webhooks.create({ orgId, url: 'https://user:pw@93.184.215.14/x', events: ['deployment.ready'] }).then(() => null, (e: { code: string }) => e.code);
    expect(creds).toBe('BAD_REQUEST');
    const ftp = await api.webhooks.create({ orgId, url: 'ftp://93.184.215.14/x', events: ['deployment.ready'] }).then(() => null, (e: { code: string }) => e.code);
    expect(ftp).toBe('BAD_REQUEST');
    expect(await api.webhooks.list({ orgId })).toEqual([]);
  });

  it('delivers subscribed events, signed; the receiver verifies the signature', async () => {
    const { api, orgId } = await setup();
    const hook = await api.webhooks.create({ orgId, url: rx.url, events: ['deployment.ready'] });
    expect(hook.secret).toMatch(/^whsec_/);
    expect(await api.webhooks.list({ orgId })).toEqual([expect.not.objectContaining({ secret: expect.anything() })]);
    const other = await setup();
    await emit(other.orgId, 'deployment.ready', { name: 'not-yours' });
    await emit(orgId, 'invoice.issued');
    await emit(orgId, 'deployment.ready', { name: 'mine' });
    await runWebhookJobs(t.db, opts);
    expect(rx.received).toHaveLength(1);
    const [r] = rx.received;
    const payload = JSON.parse(r!.body);
    expect(payload).toMatchObject({ type: 'deployment.ready', orgId, data: { name: 'mine' } });
    expect(payload.id).toMatch(/^evt_\d+$/);
    expect(r!.headers['plinth-event']).toBe('deployment.ready');
    expect(verifySignature(hook.secret, r!.body, r!.headers['plinth-signature'] as string)).toBe(true);
    expect(verifySignature('whsec_wrong', r!.body, r!.headers['plinth-signature'] as string)).toBe(false);
    expect(verifySignature(hook.secret, r!.body + ' ', r!.headers['plinth-signature'] as string)).toBe(false);
    const [d] = await api.webhooks.deliveries({ orgId, webhookId: hook.id });
    expect(d).toMatchObject({ status: 'succeeded', attempts: 1, responseStatus: 200, log: [{ responseStatus: 200, error: null }] });
    expect(d!.log[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await fanOutEvents(t.db)).toBe(0);
  });

  it('retries after 500s and a timeout, with backoff, and logs every attempt', async () => {
    const { api, orgId } = await setup();
    const hook = await api.webhooks.create({ orgId, url: rx.url, events: ['deployment.ready'] });
    rx.script.push(500, 'hang', 503);
    await emit(orgId, 'deployment.ready');
    await fanOutEvents(t.db);
    const [queued] = await api.webhooks.deliveries({ orgId, webhookId: hook.id });
    for (let i = 0; i < 50 && (await deliveryOf(queued!.id)).status === 'pending'; i++) {
      await deliverDue(t.db, { ...opts, timeoutMs: 300 });
      await new Promise((r) => setTimeout(r, 5));
    }
    const [d] = await api.webhooks.deliveries({ orgId, webhookId: hook.id });
    expect(d!.status).toBe('succeeded');
    expect(d!.log.map((a) => a.responseStatus)).toEqual([500, null, 503, 200]);
    expect(d!.log[1]!.error).toBe('no answer within 300 ms');
    // Every attempt carried the same payload and a fresh, valid signature.
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    for (const r of rx.received) expect(verifySignature(hook.secret, r.body, r.headers['plinth-signature'] as string)).toBe(true);
  });

  it('gives up after maxAttempts, then redelivers on request with the same payload', async () => {
    const { api, orgId } = await setup();
    const hook = await api.webhooks.create({ orgId, url: rx.url, events: ['deployment.ready'] });
    rx.script.push(500, 500, 500);
    await emit(orgId, 'deployment.ready');
    await fanOutEvents(t.db);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 5));
      await deliverDue(t.db, { ...opts, maxAttempts: 3 });
    }
    const [failed] = await api.webhooks.deliveries({ orgId, webhookId: hook.id });
    expect([failed!.status, failed!.attempts, failed!.lastError]).toEqual(['failed', 3, 'answered 500']);
    const { deliveryId } = await api.webhooks.redeliver({ orgId, deliveryId: failed!.id });
    await runWebhookJobs(t.db, opts);
    expect((await deliveryOf(deliveryId)).status).toBe('succeeded');
    expect(JSON.parse(rx.received.at(-1)!.body).id).toBe(JSON.parse(rx.received[0]!.body).id);
  });

  it('sends a test ping on request', async () => {
    const { api, orgId } = await setup();
    const hook = await api.webhooks.create({ orgId, url: rx.url, events: ['invoice.issued'] });
    await api.webhooks.test({ orgId, webhookId: hook.id });
    await runWebhookJobs(t.db, opts);
    expect(JSON.parse(rx.received[0]!.body)).toMatchObject({ type: 'ping', orgId });
    expect(verifySignature(hook.secret, rx.received[0]!.body, rx.received[0]!.headers['plinth-signature'] as string)).toBe(true);
  });

  it('refuses to connect to a private address at delivery time when private addresses are not allowed', async () => {
    const { api, orgId } = await setup(true);
    const byIp = await api.webhooks.create({ orgId, url: rx.url, events: ['deployment.ready'] });
    const byName = await api.webhooks.create({ orgId, url: `http://localhost:${rx.port}/hooks`, events: ['deployment.ready'] });
    await emit(orgId, 'deployment.ready');
    await fanOutEvents(t.db);
    await deliverDue(t.db, { ...opts, allowPrivate: false, maxAttempts: 1 });
    expect(rx.received).toEqual([]);
    for (const hook of [byIp, byName]) {
      const [d] = await api.webhooks.deliveries({ orgId, webhookId: hook.id });
      expect(d!.status).toBe('failed');
      expect(d!.lastError).toMatch(/private, loopback or link-local/);
    }
  });
});
