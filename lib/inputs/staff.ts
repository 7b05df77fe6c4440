/** Inputs of the internal console (staff), shared by server/api/routers/staff/ and the forms that call them. */
import { z } from 'zod';
import { MAX_DATE, MIN_DATE, safeDate, safeString } from '~/lib/safe-string';

export const timelineKinds = ['audit', 'operation', 'reconciler', 'billing', 'access'] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export const tenantSorts = ['newest', 'oldest', 'name', 'revenue', 'credit'] as const;

export const tenantListInput = z.object({
  search: safeString().trim().max(200, 'Search for at most 200 characters.').optional(),
  status: z.enum(['active', 'suspended'], 'Filter by active or suspended.').optional(),
  plan: safeString().trim().max(60, 'That is not a plan.').optional(),
  sort: z.enum(tenantSorts, `Sort by one of: ${tenantSorts.join(', ')}.`).default('newest'),
  page: z.coerce.number().int('Pages are whole numbers.').min(1, 'Pages start at 1.').max(10_000).default(1),
  pageSize: z.coerce.number().int().min(5, 'Show at least 5 per page.').max(200, 'Show at most 200 per page.').default(25),
});
export type TenantListInput = z.infer<typeof tenantListInput>;

export const tenantId = z.object({ orgId: z.uuid('That is not a tenant id. Open the tenant from the list.') });

/**
 * A cursor's instant must be a real moment: `2024-02-30T25:00:00Z` matches the pattern but Postgres refuses the
 * cast, so it has to round-trip through Date unchanged (seconds precision) and sit inside the date window.
 */
const cursorInstant = safeString()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/, 'Reload the timeline.')
  .refine((s) => {
    const d = new Date(s);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 19) === s.slice(0, 19) && d >= MIN_DATE && d <= MAX_DATE;
  }, 'Reload the timeline.');

export const timelineInput = tenantId.extend({
  kinds: z.array(z.enum(timelineKinds, `Filter by kinds among: ${timelineKinds.join(', ')}.`)).max(timelineKinds.length).optional(),
  actor: z.union([z.uuid(), z.literal('system')], 'Filter by a person in the list, or system.').optional(),
  cursor: z.object({ at: cursorInstant, key: safeString().min(3).max(80, 'Reload the timeline.') }).optional(),
  limit: z.number().int().min(1).max(500, 'Read at most 500 entries at a time.').default(100),
});

/** Every admin action says why, and the caller confirms it: the reason is kept in the audit entry. */
const reason = safeString().trim().min(5, 'Say why, in a few words (at least 5 characters). It is kept in the audit log.').max(500, 'Keep the reason under 500 characters.');
const confirm = z.literal(true, 'Confirm the action before it is applied.');
const action = { reason, confirm };

export const issueCreditInput = tenantId.extend({
  ...action,
  amountCents: z.number('Enter an amount.').int('Enter the amount in whole cents.').min(1, 'Enter a positive amount.').max(10_000_000, 'Credits above $100,000 need finance, not the console.'),
  currency: z.enum(['usd', 'eur', 'gbp'], 'Choose USD, EUR or GBP.').default('usd'),
  expiresAt: safeDate('Enter a valid expiry date, or leave it empty.').nullable().default(null),
});

export const suspendInput = tenantId.extend({
  ...action,
  /** Also stop the tenant's deployments (scaled to zero, data kept); see suspendTenant in server/services/tenants/actions.ts. */
  stopDeployments: z.boolean().default(false),
});
export const resumeInput = tenantId.extend({
  ...action,
  /** Start the tenant's stopped deployments again. */
  startDeployments: z.boolean().default(false),
});

export const deploymentActionInput = tenantId.extend({ ...action, deploymentId: z.uuid('That is not a deployment id.') });
export const SANDBOX_CHANGES = ['drift', 'unhealthy', 'unreachable', 'clear'] as const;
export type SandboxChange = (typeof SANDBOX_CHANGES)[number];
export const sandboxChangeInput = deploymentActionInput.extend({ change: z.enum(SANDBOX_CHANGES, 'Choose drift, unhealthy, unreachable or clear.') });
export const changePlanInput = deploymentActionInput.extend({
  plan: safeString().trim().min(1, 'Choose a plan.'),
  expectedGeneration: z.number().int().min(1, 'Reload the tenant and try again.'),
});

export const staffRoleInput = z.object({
  ...action,
  email: safeString().trim().toLowerCase().pipe(z.email('Enter the email the person signed up with.')),
  role: z.enum(['support', 'admin', 'none'], 'Choose support, admin, or none to revoke.'),
});

/** Lets a tenant run paid plans without a payment method for `days` days (0 ends a trial now). */
export const paidTrialInput = tenantId.extend({
  ...action,
  days: z.number('Enter a number of days.').int('Use whole days.').min(0, 'Use 0 to end the trial.').max(90, 'Trials last at most 90 days.'),
});
