/**
 * A transaction whose database connection is cut (a restart, a failover, a partition) must fail like any other
 * database error: the process keeps running, and nothing the transaction sends afterwards runs anywhere — not on
 * a reconnected socket outside the transaction. postgres.js 3.4.9 does neither without patches/postgres+3.4.9.patch
 * (see patches/README.md). Without the patch the statement after the cut throws an uncaught TypeError from a
 * postgres.js timer, which fails the run (vitest reports unhandled errors as failures).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb } from '~/test/harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a transaction whose connection is cut (postgres)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    await t.db.execute(sql`create table connection_loss (note text not null)`);
  });
  afterAll(() => t.drop());

  for (const wait of [0, 300]) {
    it(`fails its later statements instead of crashing or running them outside the transaction (${wait} ms after the cut)`, async () => {
      let pid = 0;
      let cut!: () => void;
      const wasCut = new Promise<void>((r) => (cut = r));
      const tx = t.db.transaction(async (tx) => {
        const rows = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { pid: number }[];
        pid = Number(rows[0]!.pid);
        await wasCut; // slow work outside the database (a git push), during which the connection goes
        await sleep(wait); // 300 ms: long enough for the pool to have reconnected meanwhile
        await tx.execute(sql`insert into connection_loss (note) values (${`after the cut, ${wait} ms`})`);
      });
      const outcome = tx.then(
        () => 'committed',
        (e: { code?: string }) => e.code ?? String(e),
      );
      while (!pid) await sleep(10);
      await t.db.execute(sql`select pg_terminate_backend(${pid})`);
      cut();
      expect(await outcome).toBe('CONNECTION_CLOSED');
      await sleep(wait + 100); // the transaction's callback has finished by now
      expect(await t.db.execute(sql`select note from connection_loss`)).toHaveLength(0);
      // The pool is usable afterwards, for statements and transactions.
      for (let i = 0; i < 20; i++) await t.db.execute(sql`select ${i}::int`);
      await expect(t.db.transaction(async (tx) => tx.execute(sql`select ${'still fine'}::text as x`))).resolves.toHaveLength(1);
    });
  }
});
