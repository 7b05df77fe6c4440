/** Inputs only the REST API has (the console passes these through tRPC inputs of its own). */
import { z } from 'zod';
import { safeDate } from '~/lib/safe-string';

export const DEPLOYMENT_PHASES = ['pending', 'provisioning', 'ready', 'updating', 'deleting', 'deleted', 'failed', 'stopped'] as const;

/** `?from=&to=&granularity=` of the usage endpoint: the same rules as the Usage page's range. */
export const usageQuery = z.object({
  from: safeDate('Give from as an ISO date, e.g. 2026-01-01T00:00:00Z.'),
  to: safeDate('Give to as an ISO date, e.g. 2026-02-01T00:00:00Z.'),
  granularity: z.enum(['hour', 'day'], 'Use granularity hour or day.').default('day'),
});
