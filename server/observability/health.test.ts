/** Readiness against a real database: each check fails on its own cause and says what to do. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { readiness, recordEngineCheck, shippedMigrations, startDraining } from './health';

const g = globalThis as unknown as { __plinthProcess?: { draining?: boolean } };

describe.each(drivers)('readiness (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => {
    g.__plinthProcess!.draining = false;
    await t.drop();
  });
  const ready = () => readiness(async () => t);

  it('is not ready until start-up has checked the engines, then is', async () => {
    recordEngineCheck(undefined);
    let r = await ready();
    expect(r.ready).toBe(false);
    expect(r.checks.engines).toEqual({ ok: false, detail: 'start-up has not checked the engines yet' });
    expect(r.checks.database).toEqual({ ok: true, detail: driver });
    recordEngineCheck({ infra: 'sandbox', delivery: 'sandbox' });
    r = await ready();
    expect(r).toMatchObject({ ready: true, checks: { migrations: { ok: true, detail: `at ${shippedMigrations().tag} (${shippedMigrations().count} applied)` } } });
  });

  it('is not ready when the schema is behind the migrations this build ships, and names the fix', async () => {
    type Row = { id: number; hash: string; created_at: string };
    const result = await t.db.execute(sql`select id, hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`);
    const row = (Array.isArray(result) ? result : (result as unknown as { rows: Row[] }).rows)[0] as Row;
    await t.db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${row.id}`);
    try {
      const r = await ready();
      expect(r.ready).toBe(false);
      expect(r.checks.migrations.detail).toMatch(/behind: \d+ of \d+ applied; run the migrate job/);
    } finally {
      await t.db.execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${row.id}, ${row.hash}, ${row.created_at})`);
    }
    expect((await ready()).ready).toBe(true);
  });

  it('is not ready when the database does not answer, without leaking the connection string', async () => {
    const r = await readiness(() => Promise.reject(new Error('connect ECONNREFUSED for postgres://plinth:s3cret@db:5432/plinth')));
    expect(r.ready).toBe(false);
    expect(r.checks.database.detail).toBe('unavailable: connect ECONNREFUSED for [url]');
  });

  it('is not ready once the process drains', async () => {
    startDraining();
    const r = await ready();
    expect(r.ready).toBe(false);
    expect(r.checks.shutdown.ok).toBe(false);
    g.__plinthProcess!.draining = false;
    expect((await ready()).ready).toBe(true);
  });
});
