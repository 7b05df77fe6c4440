/** The audit log is append-only in the database itself: no connection, ORM or raw SQL, can change history. */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '~/db/schema';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { audit } from './audit';

/** postgres.js and PGlite wrap the server's error differently; the message is Postgres's own either way. */
const failure = (p: Promise<unknown>) => p.then(() => 'succeeded', (e: Error) => `${e.message} ${(e.cause as Error | undefined)?.message ?? ''}`);

describe.each(drivers)('audit log (%s)', (driver) => {
  let t: TestDb;
  let id: number;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    await audit(t.db, { actorId: null, orgId: null, action: 'test.entry', reason: 'original reason' });
    [{ id }] = (await t.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, 'test.entry'))) as [{ id: number }];
  });
  afterAll(() => t.drop());

  it('refuses UPDATE, through the ORM and in raw SQL', async () => {
    expect(await failure(t.db.update(auditLog).set({ reason: 'rewritten' }).where(eq(auditLog.id, id)))).toMatch(/audit_log is append-only: UPDATE is not allowed/);
    expect(await failure(t.db.execute(sql`update audit_log set action = 'nothing.happened'`))).toMatch(/append-only: UPDATE/);
  });

  it('refuses DELETE, of one row or all of them', async () => {
    expect(await failure(t.db.delete(auditLog).where(eq(auditLog.id, id)))).toMatch(/audit_log is append-only: DELETE is not allowed/);
    expect(await failure(t.db.execute(sql`delete from audit_log`))).toMatch(/append-only: DELETE/);
  });

  it('refuses TRUNCATE of the audit log and the credit ledger (a statement trigger: row triggers miss it)', async () => {
    expect(await failure(t.db.execute(sql`truncate audit_log`))).toMatch(/audit_log is append-only: TRUNCATE is not allowed/);
    expect(await failure(t.db.execute(sql`truncate credit_entries`))).toMatch(/credit_entries is append-only: TRUNCATE/);
  });

  it('still accepts new entries, and the refused changes left the old one intact', async () => {
    await audit(t.db, { actorId: null, orgId: null, action: 'test.second' });
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.id, id));
    expect(row).toMatchObject({ action: 'test.entry', reason: 'original reason' });
    expect((await t.db.select().from(auditLog)).length).toBeGreaterThanOrEqual(2);
  });
});
