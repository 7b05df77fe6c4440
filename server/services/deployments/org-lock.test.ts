/**
 * The org lock a command takes must not block a foreign-key check on the org. The reconciler's fenced write
 * locks the deployment row and then inserts into `events` (whose org_id references organizations: a KEY SHARE
 * lock on the org row). A command locks the org and then the deployment. With FOR UPDATE on the org the two
 * deadlocked under the chaos test; FOR NO KEY UPDATE leaves KEY SHARE free. Postgres server only: this needs two
 * connections at once, which the embedded database does not have.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events } from '~/db/schema';
import { makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { lockActiveOrg } from './commands';

describe('org lock (postgres)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
  });
  afterAll(() => t?.drop());

  it('lets another transaction insert a row referencing the org while a command holds the org lock', async () => {
    const owner = await makeUser(t.db, 'org-lock@plinth.test');
    const org = await owner.api.orgs.create({ name: 'Org Lock' });
    const inserted = await t.db.transaction(async (command) => {
      await lockActiveOrg(command, org.id, { onBehalfOf: 'staff', reason: 'lock test' });
      // Another connection, as the reconciler's write: it must not wait for the command (lock_timeout makes a
      // wait an error instead of a hang).
      return t.db.transaction(async (writer) => {
        await writer.execute(sql`set local lock_timeout = '2s'`);
        return writer.insert(events).values({ orgId: org.id, type: 'deployment.ready' }).returning({ id: events.id });
      });
    });
    expect(inserted).toHaveLength(1);
  });
});
