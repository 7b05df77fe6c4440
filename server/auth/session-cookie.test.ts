/**
 * The tRPC context's cookie reader (session-cookie.ts) keeps tokens it decrypted: a cached token still expires on
 * time, a tampered or forged one is refused every time, and a token is only good under the cookie name (the
 * key's salt) it was issued for.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { env } from '../env';
import { encode } from './jwt';
import { readSessionCookie } from './session-cookie';

const plain = 'authjs.session-token';
const secure = '__Secure-authjs.session-token';
const cookie = (name: string, token: string) => new Headers({ cookie: `theme=dark; ${name}=${token}` });

describe('session cookie reader', () => {
  afterEach(() => vi.useRealTimers());

  it('reads a cookie, reads it again (from what it kept), and refuses it past its expiry', async () => {
    const token = await encode({ token: { sub: 'u1', sid: 's1', sv: 3 }, secret: env.authSecret!, salt: plain, maxAge: 60 });
    const claim = { userId: 'u1', sid: 's1', version: 3 };
    expect(await readSessionCookie(cookie(plain, token))).toEqual(claim);
    expect(await readSessionCookie(cookie(plain, token))).toEqual(claim);
    // 60 s of validity and Auth.js's 15 s of tolerance later: signed out, although the token was kept.
    vi.useFakeTimers({ now: Date.now() + 76_000, toFake: ['Date'] });
    expect(await readSessionCookie(cookie(plain, token))).toBeNull();
  });

  it('refuses a tampered token every time, and a token under another cookie name than it was issued for', async () => {
    const token = await encode({ token: { sub: 'u2' }, secret: env.authSecret!, salt: plain, maxAge: 60 });
    expect(await readSessionCookie(cookie(plain, token))).toMatchObject({ userId: 'u2' });
    const tampered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    expect(await readSessionCookie(cookie(plain, tampered))).toBeNull();
    expect(await readSessionCookie(cookie(plain, tampered))).toBeNull();
    expect(await readSessionCookie(cookie(secure, token))).toBeNull();
    const forged = await encode({ token: { sub: 'u2' }, secret: 'not-the-secret-of-this-installation-0123', salt: plain, maxAge: 60 });
    expect(await readSessionCookie(cookie(plain, forged))).toBeNull();
  });
});
