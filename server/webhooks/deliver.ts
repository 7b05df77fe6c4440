/**
 * The webhook job, run by every worker: fan new events out to the endpoints subscribed to them, then deliver
 * what is due. Any number of workers may run it at once: events and deliveries are claimed with
 * FOR UPDATE SKIP LOCKED, and a claimed delivery's `nextAttemptAt` is pushed past the attempt's timeout (its
 * lease), so one delivery is attempted by one worker at a time, and a worker that dies mid-attempt only delays it.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { webhookAttempts, webhookDeliveries } from '~/db/schema';
import { decryptSecret } from '../crypto';
import { guardedLookup, isPrivateAddress, PrivateAddressError } from './address';
import { SIGNATURE_HEADER, signatureHeader } from './signature';

export type DeliveryOptions = {
  secretKey: Buffer;
  allowPrivate: boolean;
  /** Per attempt, connection to last byte. */
  timeoutMs?: number;
  maxAttempts?: number;
  /** First retry after this, doubling (with jitter), capped at an hour. */
  backoffBaseMs?: number;
  batch?: number;
  now?: () => Date;
};

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows);

/** Turns undispatched events into one delivery per subscribed endpoint, and marks them dispatched. */
export async function fanOutEvents(db: Db, limit = 200): Promise<number> {
  const result = await db.execute(sql`
    with ev as (select id, org_id, type, deployment_id, data, created_at from events where dispatched_at is null order by id limit ${limit} for update skip locked),
    ins as (
      insert into webhook_deliveries (org_id, endpoint_id, event_id, type, payload)
      select ev.org_id, e.id, ev.id, ev.type, jsonb_build_object('id', 'evt_' || ev.id, 'type', ev.type, 'orgId', ev.org_id,
          'deploymentId', ev.deployment_id, 'createdAt', to_char(ev.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'data', ev.data)
      from ev join webhook_endpoints e on e.org_id = ev.org_id and e.events ? ev.type and e.disabled_at is null
      returning 1)
    update events set dispatched_at = now() where id in (select id from ev) returning id`);
  return rowsOf(result).length;
}

type Attempt = { status: number | null; latencyMs: number; error: string | null };

/** One POST with the guarded lookup, no redirects followed, and a hard timeout. */
export function postOnce(url: string, body: string, headers: Record<string, string>, o: { timeoutMs: number; allowPrivate: boolean }): Promise<Attempt> {
  const started = performance.now();
  const done = (status: number | null, error: string | null): Attempt => ({ status, error, latencyMs: Math.round(performance.now() - started) });
  return new Promise((resolve) => {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    // Node connects to an IP literal without a lookup, so those are checked here.
    if (!o.allowPrivate && isIP(host) && isPrivateAddress(host)) {
      return resolve(done(null, `${host} is a private, loopback or link-local address; webhooks may only reach public addresses.`));
    }
    const client = u.protocol === 'https:' ? https : http;
    const req = client.request(
      u,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body).toString() }, lookup: guardedLookup(o.allowPrivate) as never, signal: AbortSignal.timeout(o.timeoutMs) },
      (res) => {
        res.resume(); // the body is not needed; drain it so the socket closes
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve(done(status, status >= 200 && status < 300 ? null : status >= 300 && status < 400 ? `answered ${status}; redirects are not followed` : `answered ${status}`));
        });
        res.on('error', (e) => resolve(done(res.statusCode ?? null, e.message)));
      },
    );
    req.on('error', (e) => {
      const message = e instanceof PrivateAddressError || e.cause instanceof PrivateAddressError ? (e.cause as Error | undefined)?.message ?? e.message : e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${o.timeoutMs} ms` : e.message;
      resolve(done(null, message));
    });
    req.end(body);
  });
}

const backoffMs = (attempts: number, base: number) => Math.min(3_600_000, base * 2 ** Math.max(0, attempts - 1)) * (0.5 + Math.random() * 0.5);

/** Claims due deliveries (lease = timeout + margin) and attempts each once. Returns how many were attempted. */
export async function deliverDue(db: Db, o: DeliveryOptions): Promise<number> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const maxAttempts = o.maxAttempts ?? 8;
  const base = o.backoffBaseMs ?? 30_000;
  const leaseMs = timeoutMs + 30_000;
  const claimed = rowsOf<{ id: string; endpoint_id: string; payload: unknown; type: string; attempts: number; url: string; secret_enc: string }>(
    await db.execute(sql`
      update webhook_deliveries d set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
      from webhook_endpoints e
      where e.id = d.endpoint_id and d.id in (
        select id from webhook_deliveries where status = 'pending' and next_attempt_at <= now() order by next_attempt_at limit ${o.batch ?? 20} for update skip locked)
      returning d.id, d.endpoint_id, d.payload, d.type, d.attempts, e.url, e.secret_enc`),
  );
  await Promise.all(
    claimed.map(async (d) => {
      const body = JSON.stringify(typeof d.payload === 'string' ? JSON.parse(d.payload) : d.payload);
      const secret = decryptSecret(o.secretKey, d.secret_enc);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Plinth-Webhooks/1',
        'plinth-event': d.type,
        'plinth-delivery': d.id,
        [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(secret, body, o.now?.() ?? new Date()),
      };
      const a = await postOnce(d.url, body, headers, { timeoutMs, allowPrivate: o.allowPrivate });
      const ok = a.error === null;
      const final = ok || d.attempts >= maxAttempts;
      await db.insert(webhookAttempts).values({ deliveryId: d.id, responseStatus: a.status, latencyMs: a.latencyMs, error: a.error });
      await db
        .update(webhookDeliveries)
        .set({
          status: ok ? 'succeeded' : final ? 'failed' : 'pending',
          responseStatus: a.status,
          latencyMs: a.latencyMs,
          lastError: a.error,
          finishedAt: final ? sql`now()` : null,
          nextAttemptAt: final ? sql`now()` : sql`now() + make_interval(secs => ${backoffMs(d.attempts, base) / 1000})`,
        })
        .where(eq(webhookDeliveries.id, d.id));
    }),
  );
  return claimed.length;
}

/** One run of the job: fan out, then deliver until nothing more is due now. */
export async function runWebhookJobs(db: Db, o: DeliveryOptions) {
  await fanOutEvents(db);
  while ((await deliverDue(db, o)) > 0) {
    /* keep going while there is work due now */
  }
}

