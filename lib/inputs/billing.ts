/** Billing inputs: the usage range the Usage page asks for. */
import { z } from 'zod';
import { safeDate, safeString } from '../safe-string';

/** The longest range each granularity may ask for, so a request stays a bounded number of buckets. */
export const MAX_RANGE_DAYS = { hour: 31, day: 400 } as const;

export const rangeInput = z
  .object({
    from: safeDate('Choose a start date.'),
    to: safeDate('Choose an end date.'),
    granularity: z.enum(['hour', 'day']).default('day'),
  })
  .refine((r) => r.to > r.from, { message: 'The end must be after the start.', path: ['to'] })
  .refine((r) => (r.to.getTime() - r.from.getTime()) / 86_400_000 <= MAX_RANGE_DAYS[r.granularity], {
    message: 'That range is too long for hourly buckets: choose 31 days or fewer, or daily buckets.',
    path: ['granularity'],
  });

export const checkoutInput = z.object({ plan: safeString().min(1, 'Choose a plan.') });

/** The ranges the Usage page offers. */
export const usageRanges = {
  '24h': { label: 'Last 24 hours (hourly)', ms: 86_400_000, granularity: 'hour' },
  '7d': { label: 'Last 7 days (hourly)', ms: 7 * 86_400_000, granularity: 'hour' },
  '30d': { label: 'Last 30 days (daily)', ms: 30 * 86_400_000, granularity: 'day' },
  '365d': { label: 'Last 12 months (daily)', ms: 365 * 86_400_000, granularity: 'day' },
} as const;
export type UsageRangeKey = keyof typeof usageRanges;

/**
 * The window a range covers, ending at the next full minute plus an hour (the running hour's bucket). Rounding
 * keeps the query key stable between polls, and lets the server prefetch the same key the page will ask for.
 */
export function usageWindow(key: UsageRangeKey, now = Date.now()) {
  const range = usageRanges[key];
  const to = new Date(Math.ceil(now / 60_000) * 60_000 + 3_600_000);
  return { from: new Date(to.getTime() - range.ms), to, granularity: range.granularity };
}
