/**
 * Webhook signatures, like Stripe's: `Plinth-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * Receivers recompute the HMAC over the raw body and refuse timestamps older than a few minutes (replays).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Plinth-Signature';

export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** What a receiver does (used by the tests and shown in docs/webhooks.md). */
export function verifySignature(secret: string, body: string, header: string | null, now = new Date(), toleranceS = 300): boolean {
  const t = Number(/(?:^|,)t=(\d+)/.exec(header ?? '')?.[1]);
  const v1 = /(?:^|,)v1=([0-9a-f]{64})/.exec(header ?? '')?.[1];
  if (!Number.isFinite(t) || !v1 || Math.abs(now.getTime() / 1000 - t) > toleranceS) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
