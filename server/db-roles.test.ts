/**
 * db/roles.sql on a real Postgres server: Plinth runs as plinth_app (no migrations at start), and plinth_app
 * cannot rewrite history — no TRUNCATE, UPDATE or DELETE on the append-only tables, no disabling their triggers,
 * no ALTER. Postgres server only: PGlite is one embedded user, with no roles to separate.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '~/db/client';
import { audit } from '~/server/services/audit';
import { makeUser, openTestDatabase, type TestDb } from '~/test/harness';

describe('running as the plinth_app role (postgres)', () => {
  let t: TestDb;
  let app: Database;
  let raw: postgres.Sql;

  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    const [{ db: name }] = (await t.db.execute(sql`select current_database() as db`)) as unknown as [{ db: string }];
    const url = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.pathname = `/${name}`;
    const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(readFileSync('db/roles.sql', 'utf8').replace('current_database_placeholder', name));
    await admin.end();
    url.username = 'plinth_app';
    app = await openDatabase(url.toString(), { migrate: false });
    raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await raw?.end();
    await app?.close();
    await t?.drop();
  });

  const refusal = (p: Promise<unknown>) => p.then(() => 'succeeded', (e: Error) => `${e.message} ${(e.cause as Error | undefined)?.message ?? ''}`);

  it('runs Plinth: signs up, creates an org and a deployment, writes the audit log', async () => {
    const { api } = await makeUser(app.db, 'role@plinth.test');
    const org = await api.orgs.create({ name: 'Least Privilege' });
    await api.deployments.create({ orgId: org.id, name: 'role-cache', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: 'role-create' });
    await audit(app.db, { actorId: null, orgId: org.id, action: 'test.role' });
    expect((await raw`select count(*)::int as n from audit_log`)[0]!.n).toBeGreaterThan(0);
  });

  it('cannot truncate, update, delete, alter or disable the triggers of the append-only tables', async () => {
    expect(await refusal(raw`truncate audit_log`)).toMatch(/permission denied|append-only/);
    expect(await refusal(raw`truncate credit_entries`)).toMatch(/permission denied|append-only/);
    expect(await refusal(raw`update audit_log set action = 'rewritten'`)).toMatch(/permission denied/);
    expect(await refusal(raw`delete from credit_entries`)).toMatch(/permission denied/);
    expect(await refusal(raw`alter table audit_log disable trigger all`)).toMatch(/must be owner/);
    expect(await refusal(raw`drop table audit_log`)).toMatch(/must be owner/);
    expect(await refusal(raw`truncate deployments cascade`)).toMatch(/permission denied/);
  });
});
