/** Inputs of the Unit economics page (staff): the cost model and the margin reports. */
import { z } from 'zod';
import { safeDate, safeString } from '~/lib/safe-string';

const centiCents = (what: string) =>
  z
    .number(`Enter the ${what} in hundredths of a cent.`)
    .int(`Enter the ${what} in whole hundredths of a cent.`)
    .min(0, `The ${what} cannot be negative.`)
    .max(100_000_000, `The ${what} is more than $10,000 an hour; check the unit (hundredths of a cent).`);

/** A new cost-model row; it applies from `effectiveFrom` (now when omitted), never before now. */
export const setCostRateInput = z.object({
  planSlug: safeString().trim().min(1, 'Choose a plan.').max(60, 'That is not a plan.'),
  region: safeString().trim().min(1, 'Choose a region.').max(60, 'That is not a region.'),
  computeCentiCentsPerHour: centiCents('compute cost'),
  storageCentiCentsPerGbHour: centiCents('storage cost per GB-hour'),
  sharedClusterCentiCentsPerHour: centiCents('shared-cluster share').default(0),
  overheadCentiCentsPerHour: centiCents('overhead'),
  effectiveFrom: safeDate('Enter a valid date and time, or leave it empty for now.').nullable().default(null),
  reason: safeString().trim().min(5, 'Say why, in a few words (at least 5 characters). It is kept in the audit log.').max(500, 'Keep the reason under 500 characters.'),
  confirm: z.literal(true, 'Confirm the change before it is applied.'),
});
export type SetCostRateInput = z.infer<typeof setCostRateInput>;

export const marginSorts = ['margin', 'marginPct', 'revenue', 'cost', 'credits', 'name'] as const;
export type MarginSort = (typeof marginSorts)[number];

/** A period of whole UTC days, `from` to `to` inclusive, at most two years. */
const day = safeString().regex(/^\d{4}-\d\d-\d\d$/, 'Enter a date as YYYY-MM-DD.').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && d.getUTCFullYear() >= 2000 && d.getUTCFullYear() < 2200;
}, 'Enter a real date.');
export const periodInput = z
  .object({ from: day, to: day })
  .refine((p) => p.from <= p.to, { message: 'The period ends before it starts.', path: ['to'] })
  .refine((p) => (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 <= 731, { message: 'Choose a period of at most two years.', path: ['to'] });

export const marginReportInput = z.object({
  period: periodInput,
  sort: z.enum(marginSorts, `Sort by one of: ${marginSorts.join(', ')}.`).default('margin'),
  direction: z.enum(['asc', 'desc'], 'Sort ascending or descending.').default('asc'),
  negativeFirst: z.boolean().default(false),
  limit: z.number().int().min(5, 'Show at least 5 rows.').max(500, 'Show at most 500 rows.').default(50),
});
export type MarginReportInput = z.infer<typeof marginReportInput>;

export const tenantEconomicsInput = z.object({ orgId: z.uuid('That is not a tenant id. Open the tenant from the list.'), period: periodInput });
