/** Billing inputs: the usage range the Usage page asks for. */
import { z } from 'zod';

/** The longest range each granularity may ask for, so a request stays a bounded number of buckets. */
export const MAX_RANGE_DAYS = { hour: 31, day: 400 } as const;

export const rangeInput = z
  .object({
    from: z.coerce.date('Choose a start date.'),
    to: z.coerce.date('Choose an end date.'),
    granularity: z.enum(['hour', 'day']).default('day'),
  })
  .refine((r) => r.to > r.from, { message: 'The end must be after the start.', path: ['to'] })
  .refine((r) => (r.to.getTime() - r.from.getTime()) / 86_400_000 <= MAX_RANGE_DAYS[r.granularity], {
    message: 'That range is too long for hourly buckets: choose 31 days or fewer, or daily buckets.',
    path: ['granularity'],
  });

export const checkoutInput = z.object({ plan: z.string().min(1, 'Choose a plan.') });
