/**
 * What a plan choice needs besides the plan's own per-org quota:
 *
 * - Free deployments are limited per person, across every org they are in (PLINTH_FREE_DEPLOYMENTS_PER_USER):
 *   organizations are free to create, so a per-org quota alone gave one person a free deployment per org.
 * - A paid plan needs a payment method on file (an active Stripe subscription) when payments are configured,
 *   or a trial staff granted (organizations.paid_trial_until). Without Stripe nothing is charged, and paid plans
 *   stay usable as before: the installation has chosen not to take payments.
 */
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Tx } from '~/db/client';
import { deployments, type Organization, type Plan } from '~/db/schema';
import { AppError } from '../../errors';

/** The installation's rules for a customer's plan choice; from the process configuration (ctx.config). */
export type PlanPolicy = { paymentsConfigured: boolean; freeDeploymentsPerUser: number };

export async function assertPlanAllowed(
  tx: Tx,
  input: { org: Organization; plan: Plan; actorId: string; policy?: PlanPolicy; onBehalfOf?: 'customer' | 'staff' },
) {
  if (input.onBehalfOf === 'staff') return;
  const { org, plan, policy } = input;
  if (!policy) throw new Error('assertPlanAllowed: a customer command needs the plan policy');
  if (plan.monthlyPriceCents === 0 && plan.hourlyRateCentiCents === 0) {
    const max = policy.freeDeploymentsPerUser;
    const [row] = await tx
      .select({ n: count() })
      .from(deployments)
      .where(and(eq(deployments.createdBy, input.actorId), eq(deployments.planId, plan.id), isNull(deployments.deletionRequestedAt)));
    const mine = row?.n ?? 0;
    if (mine >= max) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `You already have ${mine} free deployment${mine === 1 ? '' : 's'}, the most one person may have across all their organizations (${max}). Delete one, or choose a paid plan.`,
        { field: 'plan' },
      );
    }
    return;
  }
  if (!policy.paymentsConfigured) return;
  const onTrial = org.paidTrialUntil !== null && org.paidTrialUntil.getTime() > Date.now();
  if (org.paymentStatus !== 'active' && !onTrial) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `The ${plan.name} plan needs a payment method on file. Add one on the Billing page (it opens Stripe Checkout), then create the deployment again.`,
      { field: 'plan' },
    );
  }
}
