/**
 * Group commit for the workers that write one GitOps repository (GitOpsOptions.group). A worker's own batch is
 * capped by its own concurrency (16 edits), so workers that merely took turns each paid a whole fetch-to-push for
 * a few edits: 4 workers shared the repository at ~165 changes/s (bench/gitops.ts), no better than racing each
 * other's pushes. Here each worker queues its edits in `gitops_edits` and waits for the
 * repository's turn (a transaction-scoped advisory lock). Whoever gets it commits every edit queued by anyone, in
 * queue order, as one commit, and writes each row's result; a worker whose edits a previous turn already took in
 * finds their results waiting and only reads and deletes them.
 *
 * Crash safety comes from the transaction: the results are written in the turn's transaction, so a holder that
 * dies (or loses its connection) mid-turn releases the lock and leaves the rows queued for the next turn. If its
 * push had landed, the next turn finds the folders already as asked and makes no commit (the edits are
 * idempotent, and the folder generation rule keeps a stale edit from rolling a deployment back).
 *
 * Waiting is bounded (`waitMs`): a worker that cannot get a turn in time takes its own still-queued edits back
 * and commits them itself — correctness never depended on the lock, the push is a compare-and-swap on the branch.
 * PGlite has one process and one connection: the in-process batch is the whole group there.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '~/db/client';
import { gitopsEdits } from '~/db/schema';
import type { FolderEdit } from './gitops-batch';

export type GroupEdit = { deployment: string; edit: FolderEdit; generation?: number; message: string };
export type GroupResult = { commit: string | null; changed: boolean; newer?: number };
/** Commits `edits` (in order) and returns one result per edit; throws when it cannot. */
export type CommitAll = (edits: GroupEdit[]) => Promise<GroupResult[]>;
export type GroupCommit = (edits: GroupEdit[], commitAll: CommitAll) => Promise<GroupResult[]>;

/** Results nobody came back for (their worker died after queuing) are deleted after this long. */
const ABANDONED_MS = 10 * 60_000;

export function groupCommits(database: Database, repoUrl: string, o: { waitMs?: number; most?: number } = {}): GroupCommit | undefined {
  if (database.kind !== 'postgres') return undefined;
  const { db } = database;
  const waitMs = o.waitMs ?? 30_000;
  /** At most this many edits in one commit; a longer queue takes several turns. */
  const most = o.most ?? 1000;
  const key = `plinth:gitops:${repoUrl}`;
  const asEdit = (r: typeof gitopsEdits.$inferSelect): GroupEdit => ({
    deployment: r.deployment,
    edit: r.edit,
    message: r.message,
    ...(r.generation !== null ? { generation: r.generation } : {}),
  });
  type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];
  /** Our rows' results when every one has one (and deletes them), else null. */
  const collect = async (tx: Tx | typeof db, seqs: number[]) => {
    const mine = await tx.select({ seq: gitopsEdits.seq, result: gitopsEdits.result }).from(gitopsEdits).where(inArray(gitopsEdits.seq, seqs));
    if (mine.length !== seqs.length || mine.some((r) => !r.result)) return null;
    await tx.delete(gitopsEdits).where(inArray(gitopsEdits.seq, seqs));
    const bySeq = new Map(mine.map((r) => [r.seq, r.result!]));
    return seqs.map((s) => bySeq.get(s)!);
  };

  return async (edits, commitAll) => {
    if (edits.length === 0) return [];
    const queued = await db
      .insert(gitopsEdits)
      .values(edits.map((e) => ({ repo: repoUrl, deployment: e.deployment, edit: e.edit, generation: e.generation ?? null, message: e.message })))
      .returning({ seq: gitopsEdits.seq });
    const seqs = queued.map((r) => r.seq);
    for (;;) {
      let locked = false;
      try {
        const results = await db.transaction(async (tx) => {
          await tx.execute(sql`select set_config('lock_timeout', ${`${waitMs}ms`}, true)`);
          await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
          locked = true;
          const done = await collect(tx, seqs);
          if (done) return done;
          const rows = await tx
            .select()
            .from(gitopsEdits)
            .where(and(eq(gitopsEdits.repo, repoUrl), isNull(gitopsEdits.result)))
            .orderBy(asc(gitopsEdits.seq))
            .limit(most);
          let outcomes: GroupResult[];
          try {
            outcomes = await commitAll(rows.map(asEdit));
          } catch (e) {
            // The turn failed (git): our callers get the error, so our edits must not land later behind their
            // back — withdrawn before the turn ends. The other workers' stay queued for their own turns.
            await tx.delete(gitopsEdits).where(and(inArray(gitopsEdits.seq, seqs), isNull(gitopsEdits.result)));
            return { failed: e };
          }
          const written = rows.map((r, i) => ({ seq: r.seq, result: outcomes[i] }));
          await tx.execute(sql`
            update gitops_edits g set result = r.result
            from jsonb_to_recordset(${JSON.stringify(written)}::jsonb) as r(seq bigint, result jsonb)
            where g.seq = r.seq`);
          await tx
            .delete(gitopsEdits)
            .where(and(eq(gitopsEdits.repo, repoUrl), isNotNull(gitopsEdits.result), lt(gitopsEdits.createdAt, new Date(Date.now() - ABANDONED_MS))));
          return collect(tx, seqs); // null: the queue was longer than one commit and ours were not in it yet
        });
        if (results && 'failed' in results) throw results.failed;
        if (results) return results;
      } catch (e) {
        // The database failed mid-turn: like a holder that died, our edits stay queued and the next turn may
        // commit them (harmless, see above); the callers get the error.
        if (locked) throw e;
        return goAlone(seqs, commitAll);
      }
    }
  };

  /** No turn to be had (lock timeout, no connection): take back what is still queued and commit it ourselves. */
  async function goAlone(seqs: number[], commitAll: CommitAll): Promise<GroupResult[]> {
    const taken = await db
      .delete(gitopsEdits)
      .where(and(inArray(gitopsEdits.seq, seqs), isNull(gitopsEdits.result)))
      .returning()
      .catch(() => null);
    if (taken === null) throw new Error('The GitOps edit queue is unreachable (the database connection failed); the edits will be retried.');
    taken.sort((a, b) => a.seq - b.seq);
    const own = taken.length ? await commitAll(taken.map(asEdit)) : [];
    const ownBySeq = new Map(taken.map((r, i) => [r.seq, own[i]!]));
    const rest = seqs.filter((s) => !ownBySeq.has(s));
    const others = rest.length ? await collect(db, rest) : [];
    if (!others) throw new Error('GitOps edits were taken in by another worker but their results are gone; the edits will be retried.');
    const otherBySeq = new Map(rest.map((s, i) => [s, others[i]!]));
    return seqs.map((s) => ownBySeq.get(s) ?? otherBySeq.get(s)!);
  }
}
