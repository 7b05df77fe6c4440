/**
 * The explicit trial an admin grants: paid plans without a payment method on file until a date (see
 * deployments/allowance.ts). Audited with the admin's reason, like every admin action.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { organizations } from '~/db/schema';
import type { StaffActor } from '../../actor';
import { AppError } from '../../errors';
import { audit } from '../audit';

export async function grantPaidTrial(db: Db, actor: StaffActor, input: { orgId: string; reason: string; days: number }) {
  return db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, input.orgId)).for('no key update');
    if (!org) throw new AppError('NOT_FOUND', 'That tenant does not exist.');
    const until = input.days === 0 ? null : new Date(Date.now() + input.days * 86_400_000);
    await tx.update(organizations).set({ paidTrialUntil: until }).where(eq(organizations.id, org.id));
    await audit(tx, { actorId: actor.userId, orgId: org.id, action: 'tenant.paid_trial', target: org.id, before: { paidTrialUntil: org.paidTrialUntil }, after: { paidTrialUntil: until }, reason: input.reason });
    return { paidTrialUntil: until };
  });
}
