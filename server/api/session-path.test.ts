/**
 * The tRPC context reads the session cookie itself (server/auth/session-cookie.ts) and the procedures check the
 * session in their user lookup. Over real HTTP, with sessions issued by Auth.js's own handler: a signed-out,
 * signed-out-everywhere, expired, forged or deleted user's session is refused on the very next call, by the
 * user-scoped and the org-scoped procedures alike.
 */
import { randomUUID } from 'node:crypto';
import { Auth, type AuthConfig } from '@auth/core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '~/db/schema';
import { authConfig } from '~/server/auth';
import { encode } from '~/server/auth/jwt';
import { env } from '~/server/env';
import { drivers, FIXTURE_PASSWORD, makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { serveFetch, type TestServer } from '~/test/http';
import { handleTrpcRequest } from './http';
import { createContext } from './trpc';

const COOKIE = 'authjs.session-token';

describe.each(drivers)('the session on the tRPC read path, over HTTP (%s)', (driver) => {
  let t: TestDb;
  let server: TestServer;
  const g = globalThis as unknown as { __plinthDb?: Promise<unknown> };
  let previousDb: Promise<unknown> | undefined;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    previousDb = g.__plinthDb;
    g.__plinthDb = Promise.resolve(t); // the app's process-wide database handle, pointed at this suite's
    const config = { ...authConfig(), basePath: '/api/auth' } as AuthConfig;
    // The production pairing: Auth.js's handler issues and ends sessions, the tRPC handler with the app's own
    // createContext reads them.
    server = await serveFetch((req) =>
      new URL(req.url).pathname.startsWith('/api/auth') ? Auth(req, config) : handleTrpcRequest(req, () => createContext(req.headers)),
    );
  });
  afterAll(async () => {
    g.__plinthDb = previousDb;
    await server?.close();
    await t?.drop();
  });

  /** Auth.js's sign-in (CSRF, credentials callback): the session cookie a browser would hold. */
  async function signIn(email: string): Promise<string> {
    const csrf = await fetch(`${server.origin}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const jar = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const res = await fetch(`${server.origin}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar },
      body: new URLSearchParams({ email, password: FIXTURE_PASSWORD, csrfToken }),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
    if (!session) throw new Error(`sign-in failed: ${res.status}`);
    return session.split(';')[0]!;
  }
  async function signOut(cookie: string) {
    const csrf = await fetch(`${server.origin}/api/auth/csrf`, { headers: { cookie } });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const jar = [cookie, ...csrf.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
    const res = await fetch(`${server.origin}/api/auth/signout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar },
      body: new URLSearchParams({ csrfToken }),
    });
    expect(res.status).toBe(302);
  }
  /** HTTP status of a user-scoped (auth.me) and an org-scoped (deployments.list) read with this cookie. */
  async function statuses(cookie: string, orgId: string) {
    const input = encodeURIComponent(JSON.stringify({ json: { orgId } }));
    const me = await fetch(`${server.origin}/api/trpc/auth.me`, { headers: { cookie } });
    const list = await fetch(`${server.origin}/api/trpc/deployments.list?input=${input}`, { headers: { cookie } });
    return [me.status, list.status];
  }
  async function userWithOrg(email: string) {
    const { user, api } = await makeUser(t.db, email);
    const org = await api.orgs.create({ name: `Org ${email}` });
    return { user, orgId: org.id };
  }

  it('serves a signed-in call, and refuses a signed-out copy of its cookie on the next call', async () => {
    const { orgId } = await userWithOrg('signout@read-path.test');
    const cookie = await signIn('signout@read-path.test');
    const other = await signIn('signout@read-path.test');
    expect(await statuses(cookie, orgId)).toEqual([200, 200]);
    await signOut(cookie);
    expect(await statuses(cookie, orgId)).toEqual([401, 401]);
    // Another session of the same user is unaffected.
    expect(await statuses(other, orgId)).toEqual([200, 200]);
  });

  it('refuses every session after sign out everywhere (a bumped session version)', async () => {
    const { orgId } = await userWithOrg('everywhere@read-path.test');
    const laptop = await signIn('everywhere@read-path.test');
    const phone = await signIn('everywhere@read-path.test');
    expect(await statuses(phone, orgId)).toEqual([200, 200]);
    const res = await fetch(`${server.origin}/api/trpc/auth.signOutEverywhere`, { method: 'POST', headers: { cookie: laptop, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    expect(await statuses(laptop, orgId)).toEqual([401, 401]);
    expect(await statuses(phone, orgId)).toEqual([401, 401]);
    expect(await statuses(await signIn('everywhere@read-path.test'), orgId)).toEqual([200, 200]);
  });

  it('refuses an expired token and a forged one; accepts the same claims unexpired, under either cookie name', async () => {
    const { user, orgId } = await userWithOrg('expired@read-path.test');
    const token = (maxAge: number, salt = COOKIE) => encode({ token: { sub: user.id, sv: user.sessionVersion, sid: randomUUID() }, secret: env.authSecret!, salt, maxAge });
    expect(await statuses(`${COOKIE}=${await token(3600)}`, orgId)).toEqual([200, 200]);
    expect(await statuses(`__Secure-${COOKIE}=${await token(3600, `__Secure-${COOKIE}`)}`, orgId)).toEqual([200, 200]);
    // Past `exp` by more than Auth.js's 15 s clock tolerance.
    expect(await statuses(`${COOKIE}=${await token(-60)}`, orgId)).toEqual([401, 401]);
    // A token under the wrong cookie name was encrypted with another key (the name is the salt).
    expect(await statuses(`__Secure-${COOKIE}=${await token(3600)}`, orgId)).toEqual([401, 401]);
    expect(await statuses(`${COOKIE}=not-a-token`, orgId)).toEqual([401, 401]);
    // A claimed version that is not the user's (an old session) is refused.
    const stale = await encode({ token: { sub: user.id, sv: user.sessionVersion - 1, sid: randomUUID() }, secret: env.authSecret!, salt: COOKIE, maxAge: 3600 });
    expect(await statuses(`${COOKIE}=${stale}`, orgId)).toEqual([401, 401]);
  });

  it('refuses the session of a user who no longer exists', async () => {
    // No org of their own: creating one writes the append-only audit log, which keeps a user from being deleted.
    const { user } = await makeUser(t.db, 'gone@read-path.test');
    const { orgId } = await userWithOrg('gone-org-owner@read-path.test');
    const cookie = await signIn('gone@read-path.test');
    expect(await statuses(cookie, orgId)).toEqual([200, 403]);
    await t.db.delete(users).where(eq(users.id, user.id));
    expect(await statuses(cookie, orgId)).toEqual([401, 401]);
  });
});
