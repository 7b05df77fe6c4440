/**
 * Sessions end when they should, through Auth.js itself over real HTTP (its core handler, with Plinth's config):
 * a session cookie copied before sign-out, "sign out everywhere" or a password change is refused afterwards,
 * and so is the session of a user who no longer exists.
 */
import { Auth, type AuthConfig } from '@auth/core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '~/db/schema';
import { authConfig } from '~/server/auth';
import { drivers, FIXTURE_PASSWORD, makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { serveFetch, type TestServer } from '~/test/http';

type Jar = Map<string, string>;
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
function store(jar: Jar, res: Response) {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    const name = pair!.slice(0, i);
    const value = pair!.slice(i + 1);
    if (value === '' || /max-age=0/i.test(c)) jar.delete(name);
    else jar.set(name, value);
  }
}

describe.each(drivers)('revocable sessions over HTTP (%s)', (driver) => {
  let t: TestDb;
  let server: TestServer;
  const g = globalThis as unknown as { __plinthDb?: Promise<unknown> };
  let previousDb: Promise<unknown> | undefined;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    previousDb = g.__plinthDb;
    g.__plinthDb = Promise.resolve(t); // the app's process-wide database handle, pointed at this suite's
    const config = { ...authConfig(), basePath: '/api/auth' } as AuthConfig;
    server = await serveFetch((req) => Auth(req, config));
  });
  afterAll(async () => {
    g.__plinthDb = previousDb;
    await server?.close();
    await t?.drop();
  });

  async function request(jar: Jar, path: string, form?: Record<string, string>, xff = '192.0.2.1') {
    const res = await fetch(`${server.origin}/api/auth${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: cookieHeader(jar), 'x-forwarded-for': xff, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form) : undefined,
    });
    store(jar, res);
    return res;
  }
  async function csrf(jar: Jar) {
    return ((await (await request(jar, '/csrf')).json()) as { csrfToken: string }).csrfToken;
  }
  async function signIn(email: string, password = FIXTURE_PASSWORD): Promise<Jar> {
    const jar: Jar = new Map();
    await request(jar, '/callback/credentials', { email, password, csrfToken: await csrf(jar) });
    return jar;
  }
  const sessionUser = async (jar: Jar) =>
    ((await (await request(new Map(jar), '/session')).json()) as { user?: { id?: string } } | null)?.user?.id ?? null;

  it('signing out ends the session, including a copy of its cookie', async () => {
    const { user } = await makeUser(t.db, 'signout@sessions.test');
    const jar = await signIn('signout@sessions.test');
    expect(await sessionUser(jar)).toBe(user.id);
    const copied = new Map(jar);
    await request(jar, '/signout', { csrfToken: await csrf(jar) });
    expect(await sessionUser(copied)).toBeNull();
    // Another device's session is unaffected by this one signing out.
    const other = await signIn('signout@sessions.test');
    expect(await sessionUser(other)).toBe(user.id);
  });

  it('sign out everywhere and a password change end every session of the user', async () => {
    const { user, api } = await makeUser(t.db, 'everywhere@sessions.test');
    const laptop = await signIn('everywhere@sessions.test');
    const phone = await signIn('everywhere@sessions.test');
    expect([await sessionUser(laptop), await sessionUser(phone)]).toEqual([user.id, user.id]);
    await api.auth.signOutEverywhere();
    expect([await sessionUser(laptop), await sessionUser(phone)]).toEqual([null, null]);

    const again = await signIn('everywhere@sessions.test');
    expect(await sessionUser(again)).toBe(user.id);
    await expect(api.auth.changePassword({ currentPassword: 'not the password', newPassword: 'a brand new passphrase' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await sessionUser(again)).toBe(user.id);
    await api.auth.changePassword({ currentPassword: FIXTURE_PASSWORD, newPassword: 'a brand new passphrase' });
    expect(await sessionUser(again)).toBeNull();
    expect(await sessionUser(await signIn('everywhere@sessions.test'))).toBeNull();
    expect(await sessionUser(await signIn('everywhere@sessions.test', 'a brand new passphrase'))).toBe(user.id);
  });

  it('rate-limits failed sign-ins per email and address over HTTP; a forged X-Forwarded-For prefix does not reset it', async () => {
    const { user } = await makeUser(t.db, 'limited@sessions.test');
    const attempt = async (password: string, xff: string) => {
      const jar: Jar = new Map();
      const res = await request(jar, '/callback/credentials', { email: 'limited@sessions.test', password, csrfToken: await csrf(jar) }, xff);
      return { location: res.headers.get('location') ?? '', jar };
    };
    const codes = [];
    for (let i = 0; i < 11; i++) codes.push(new URL((await attempt('wrong guess!!', `10.66.0.${i}, 203.0.113.66`)).location).searchParams.get('code'));
    expect(codes).toEqual([...Array(10).fill('invalid_credentials'), 'rate_limited']);
    // The guesser's address stays locked even with the right password...
    expect(new URL((await attempt(FIXTURE_PASSWORD, '7.7.7.7, 203.0.113.66')).location).searchParams.get('code')).toBe('rate_limited');
    // ...while the owner signs in from their own.
    expect(await sessionUser((await attempt(FIXTURE_PASSWORD, '198.51.100.23')).jar)).toBe(user.id);
  });

  it('does not let a session add a password to an account that has none', async () => {
    const { user, api } = await makeUser(t.db, 'oauth@sessions.test');
    await t.db.update(users).set({ passwordHash: null }).where(eq(users.id, user.id));
    await expect(api.auth.changePassword({ currentPassword: '', newPassword: 'a brand new passphrase' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((await t.db.select().from(users).where(eq(users.id, user.id)))[0]!.passwordHash).toBeNull();
  });

  it('ends the session of a user who no longer exists', async () => {
    const { user } = await makeUser(t.db, 'gone@sessions.test');
    const jar = await signIn('gone@sessions.test');
    expect(await sessionUser(jar)).toBe(user.id);
    await t.db.delete(users).where(eq(users.id, user.id));
    expect(await sessionUser(jar)).toBeNull();
  });
});
