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
    const secret = env.authSecret;
    const payload = await Promise.resolve(decode({ token, secret, salt: name })).catch(() => null);
    if (!payload?.sub) return null;
    return { userId: payload.sub, sid: typeof payload.sid === 'string' ? payload.sid : undefined, version: typeof payload.sv === 'number' ? payload.sv : 0 };
  }
  return null;
}
