/**
 * The credit ledger: append-only (a trigger refuses UPDATE and DELETE). A grant adds; applying credit to an
 * invoice and expiry subtract. The balance is the sum, so history and balance can never disagree.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '~/db/client';
import { creditEntries, organizations, outbox } from '~/db/schema';
import { AppError } from '../errors';
import { audit } from '../services/audit';
import { emitEvent } from '../events';

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
    // One billing currency per organization: a credit in another would be summed into the wrong figure.
    if (input.currency.toLowerCase() !== org.billingCurrency) {
      throw new AppError('BAD_REQUEST', `This organization is billed in ${org.billingCurrency.toUpperCase()}; issue the credit in ${org.billingCurrency.toUpperCase()} (convert the amount yourself).`, { field: 'currency' });
    }
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
    await emitEvent(tx, {
      orgId: input.orgId,
      type: 'credit.issued',
      data: { creditId: entry!.id, amountCents: input.amountCents, currency: entry!.currency, reason: input.reason, expiresAt: input.expiresAt?.toISOString() ?? null },
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

/**
 * What is left of each grant: its amount minus what was applied from it; expired grants have nothing left.
 * Ordered by expiry (soonest first), the order credit is applied in.
 */
export async function openGrants(db: DbOrTx, orgId: string, at = new Date()) {
  // Only grants in the organization's billing currency count; one in another currency (issued before this
  // rule) is shown in the ledger but never summed into the balance as if it were the same money.
  const grants = await db
    .select()
    .from(creditEntries)
    .where(
      and(
        eq(creditEntries.orgId, orgId),
        eq(creditEntries.kind, 'grant'),
        sql`${creditEntries.currency} = (select ${organizations.billingCurrency} from ${organizations} where ${organizations.id} = ${orgId})`,
      ),
    );
  const used = await db
    .select({ grantId: creditEntries.grantId, total: sql<number>`sum(${creditEntries.amountCents})::int` })
    .from(creditEntries)
    .where(and(eq(creditEntries.orgId, orgId), eq(creditEntries.kind, 'apply')))
    .groupBy(creditEntries.grantId);
  const usedBy = new Map(used.map((u) => [u.grantId, u.total]));
  return grants
    .filter((g) => !g.expiresAt || g.expiresAt > at)
    .map((g) => ({ ...g, remainingCents: g.amountCents + (usedBy.get(g.id) ?? 0) }))
    .filter((g) => g.remainingCents > 0)
    .sort((a, b) => (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity) || a.createdAt.getTime() - b.createdAt.getTime());
}

export async function creditBalanceCents(db: DbOrTx, orgId: string, at = new Date()): Promise<number> {
  return (await openGrants(db, orgId, at)).reduce((sum, g) => sum + g.remainingCents, 0);
}

export async function listCreditEntries(db: DbOrTx, orgId: string) {
  return db.select().from(creditEntries).where(and(eq(creditEntries.orgId, orgId))).orderBy(desc(creditEntries.createdAt));
}
