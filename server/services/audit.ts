import type { DbOrTx } from '~/db/client';
import { auditLog } from '~/db/schema';

export type AuditEntry = {
  actorId: string | null;
  orgId: string | null;
  action: string;
  target?: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  /** The API key the change came through, if any (see `by`). */
  apiKeyId?: string | null;
};

/** The actor columns of an audit entry: the person, and the API key when the call came through one. */
export const by = (actor: { userId: string; apiKeyId?: string }) => ({ actorId: actor.userId, apiKeyId: actor.apiKeyId ?? null });

/** Call inside the transaction that makes the change, so the change and its record land together. */
export async function audit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: entry.actorId,
    orgId: entry.orgId,
    action: entry.action,
    target: entry.target ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    reason: entry.reason ?? null,
    apiKeyId: entry.apiKeyId ?? null,
  });
}
