/**
 * Reads the Auth.js session cookie without Auth.js: one decode with the cached key (./jwt), nothing else.
 * The tRPC context uses it instead of `auth()`, which also ran the session check as a query of its own and
 * re-encrypted a cookie nobody received; the check now rides on the user lookup every signed-in procedure
 * already makes (sessionCheck in ./sessions). Pages and the /api/auth routes still go through Auth.js.
 */
import { env } from '../env';
import { decode } from './jwt';

/** Auth.js's names: the `__Secure-` one over HTTPS, the plain one over HTTP. The name is also the key's salt. */
const COOKIE_NAMES = ['__Secure-authjs.session-token', 'authjs.session-token'] as const;

/** What the session claims; the database has the last word (see sessionCheck). */
export type SessionClaim = { userId: string; sid: string | undefined; version: number };

function parseCookies(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (!out.has(name)) out.set(name, part.slice(i + 1).trim());
  }
  return out;
}

/** Auth.js splits a cookie over ~4 KB into `name.0`, `name.1`, …; joined back the same way it does. */
function tokenOf(cookies: Map<string, string>, name: string): string | undefined {
  const whole = cookies.get(name);
  if (whole) return whole;
  let joined = '';
  for (let i = 0; cookies.has(`${name}.${i}`); i++) joined += cookies.get(`${name}.${i}`);
  return joined || undefined;
}

/**
 * Tokens already decrypted by this process, with their claim and expiry: a browser sends the same cookie on every
 * call, and decrypting it (webcrypto key import, AES-CBC, HMAC-SHA512) was the largest single cost of a signed-in
 * read (bench/read-path.ts). Only tokens that decrypted are kept, so a flood of forged cookies cannot fill it;
 * the oldest entry goes first past MAX_CACHED. What a token claims never changes; whether its session still holds
 * (revoked, version bumped) is checked against the database on every call, as before.
 */
const MAX_CACHED = 10_000;
const decoded = new Map<string, { claim: SessionClaim; expMs: number }>();
/** Auth.js's tolerance for `exp`, as jose applies it (clockTolerance 15 s in ./jwt). */
const TOLERANCE_MS = 15_000;

function cached(token: string): SessionClaim | null | undefined {
  const hit = decoded.get(token);
  if (!hit) return undefined;
  if (Date.now() > hit.expMs + TOLERANCE_MS) {
    decoded.delete(token);
    return null;
  }
  return hit.claim;
}

function remember(token: string, claim: SessionClaim, exp: unknown) {
  if (typeof exp !== 'number') return; // Auth.js always sets exp; without one, decrypt every time
  if (decoded.size >= MAX_CACHED) decoded.delete(decoded.keys().next().value!);
  decoded.set(token, { claim, expMs: exp * 1000 });
}

/**
 * The session the request's cookie claims, or null: no cookie, a token that does not decrypt with AUTH_SECRET,
 * or one past its `exp` (jose checks it, with Auth.js's 15 s tolerance) all read as signed out, as in Auth.js.
 */
export async function readSessionCookie(headers: Headers): Promise<SessionClaim | null> {
  const header = headers.get('cookie');
  if (!header || !env.authSecret) return null;
  const cookies = parseCookies(header);
  for (const name of COOKIE_NAMES) {
    const token = tokenOf(cookies, name);
    if (!token) continue;
    const key = `${name}\0${token}`; // the cookie name is the key's salt: the same token under another name is another question
    const hit = cached(key);
    if (hit !== undefined) return hit;
    const secret = env.authSecret;
    const payload = await Promise.resolve(decode({ token, secret, salt: name })).catch(() => null);
    if (!payload?.sub) return null;
    const claim = { userId: payload.sub, sid: typeof payload.sid === 'string' ? payload.sid : undefined, version: typeof payload.sv === 'number' ? payload.sv : 0 };
    remember(key, claim, payload.exp);
    return claim;
  }
  return null;
}
