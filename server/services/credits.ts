/**
 * The credit ledger: append-only (a trigger refuses UPDATE and DELETE). A grant adds; applying credit to an
 * invoice and expiry subtract. The balance is the sum, so history and balance can never disagree.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '~/db/client';
import { creditEntries, organizations, outbox } from '~/db/schema';
import { AppError } from '../errors';
import { audit } from './audit';

export type IssueCreditInput = {
  orgId: string;
  actorId: string;
  amountCents: number;
  currency: string;
  reason: string;
  expiresAt: Date | null;
};

/** Grants a credit: ledger entry, audit row and (when the org has a Stripe customer) an outbox entry, together. */
export async function issueCredit(db: Db, input: IssueCreditInput) {
  if (!Number.isInteger(input.amountCents) || input.amountCents <= 0) {
    throw new AppError('BAD_REQUEST', 'Enter a positive amount.', { field: 'amount' });
  }
  if (input.expiresAt && input.expiresAt <= new Date()) {
    throw new AppError('BAD_REQUEST', 'The expiry must be in the future.', { field: 'expiresAt' });
  }
  return db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, input.orgId));
    if (!org) throw new AppError('NOT_FOUND', 'That organization does not exist.');
    const [entry] = await tx
      .insert(creditEntries)
      .values({
        orgId: input.orgId,
        kind: 'grant',
        amountCents: input.amountCents,
        currency: input.currency.toLowerCase(),
        reason: input.reason,
        actorId: input.actorId,
        expiresAt: input.expiresAt,
      })
      .returning();
    await audit(tx, {
      actorId: input.actorId,
      orgId: input.orgId,
      action: 'credit.issue',
      target: entry!.id,
      after: { amountCents: input.amountCents, currency: entry!.currency, expiresAt: input.expiresAt },
      reason: input.reason,
    });
    if (org.stripeCustomerId) {
      await tx.insert(outbox).values({
        kind: 'stripe.credit',
        orgId: input.orgId,
        payload: { creditId: entry!.id, customer: org.stripeCustomerId, amountCents: input.amountCents, currency: entry!.currency, reason: input.reason },
        idempotencyKey: `credit-${entry!.id}`,
      });
    }
    return entry!;
  });
}

/** Credit left for an org: grants not yet expired, minus what was applied. */
export async function creditBalanceCents(db: DbOrTx, orgId: string, at = new Date()): Promise<number> {
  const [row] = await db
    .select({
      balance: sql<number>`coalesce(sum(case
        when ${creditEntries.kind} = 'grant' and (${creditEntries.expiresAt} is null or ${creditEntries.expiresAt} > ${at.toISOString()}::timestamptz) then ${creditEntries.amountCents}
        when ${creditEntries.kind} = 'grant' then 0
        else ${creditEntries.amountCents} end), 0)::int`,
    })
    .from(creditEntries)
    .where(eq(creditEntries.orgId, orgId));
  return row?.balance ?? 0;
}

export async function listCreditEntries(db: DbOrTx, orgId: string) {
  return db.select().from(creditEntries).where(and(eq(creditEntries.orgId, orgId))).orderBy(desc(creditEntries.createdAt));
}
