/** Fleet inputs (versions, upgrade paths, maintenance windows, rollouts), shared by the routers and the forms. */
import { z } from 'zod';
import { safeDate, safeString } from '~/lib/safe-string';

export const versionString = safeString()
  .trim()
  .regex(/^\d{1,4}(\.\d{1,4}){1,3}$/, 'Use a dotted version number such as 7.4.2.');
export const VERSION_STATUSES = ['preview', 'available', 'deprecated', 'retired'] as const;
export const SEVERITIES = ['regular', 'security', 'critical'] as const;

export const publishVersionInput = z.object({
  version: versionString,
  moduleRef: safeString().trim().min(1, 'Enter the Terraform module reference.').max(200, 'Use at most 200 characters.'),
  chartVersion: safeString().trim().regex(/^\d+\.\d+\.\d+$/, 'Use the chart’s version, such as 20.3.1.'),
  notes: safeString().max(5000, 'Keep release notes under 5000 characters.').default(''),
  severity: z.enum(SEVERITIES, 'Choose regular, security or critical.'),
  status: z.enum(['preview', 'available'], 'A new version starts as preview or available.').default('preview'),
});

export const versionStatusInput = z.object({ version: versionString, status: z.enum(VERSION_STATUSES, 'Choose a status from the list.') });
export const upgradePathInput = z.object({ fromVersion: versionString, toVersion: versionString });

/** A weekly window; deeper checks (overlap, known zone) are in lib/windows.ts, shared with the form. */
export const maintenanceWindowInput = z.object({
  days: z.array(z.number().int().min(0, 'Choose days from Sunday to Saturday.').max(6, 'Choose days from Sunday to Saturday.')).max(7, 'Choose each day once.'),
  start: safeString().trim(),
  durationMinutes: z.coerce.number('Enter the duration in minutes.').int('Use whole minutes.'),
  timeZone: safeString().trim().max(64, 'Choose a time zone from the list.'),
});

/** null: any time (the org's) / the org's window (a deployment's). */
export const orgWindowInput = z.object({ window: maintenanceWindowInput.nullable() });
export const deploymentWindowInput = z.object({ deploymentId: z.uuid('That is not a deployment id.'), window: maintenanceWindowInput.nullable() });
export const deploymentRefInput = z.object({ deploymentId: z.uuid('That is not a deployment id.') });

export const rolloutSelectorInput = z.object({
  versions: z.array(versionString).max(50).optional(),
  plans: z.array(safeString().trim().min(1).max(40)).max(20).optional(),
  regions: z.array(safeString().trim().min(1).max(40)).max(20).optional(),
  orgIds: z.array(z.uuid('That is not an organization id.')).max(1000).optional(),
});

export const rolloutPlanInput = z.object({
  targetVersion: versionString,
  selector: rolloutSelectorInput.default({}),
  noticeDays: z.coerce.number('Enter a number of days.').int('Use whole days.').min(0, 'Use 0 days or more.').max(90, 'Use at most 90 days.'),
  deadline: safeDate('Enter the deadline as a date and time.').nullable().default(null),
  maxDefers: z.coerce.number().int('Use a whole number.').min(0, 'Use 0 or more.').max(10, 'Allow at most 10 defers.').default(0),
  canary: z.object({
    size: z.coerce.number('Enter the canary size.').int('Use a whole number.').min(1, 'A canary needs at least 1 deployment.'),
    unit: z.enum(['count', 'percent'], 'Choose deployments or percent.'),
  }),
  wavePercent: z.coerce.number('Enter the wave size in percent.').min(1, 'A wave must hold at least 1% of the deployments.').max(100, 'A wave can hold at most 100%.'),
  maxConcurrency: z.coerce.number('Enter the maximum concurrency.').int('Use a whole number.').min(1, 'Allow at least 1 upgrade at a time.').max(10_000, 'Allow at most 10000 at a time.'),
  failureBudgetPct: z.coerce.number('Enter the failure budget in percent.').min(0, 'Use 0% or more.').max(100, 'Use at most 100%.'),
});
export type RolloutPlanInput = z.infer<typeof rolloutPlanInput>;

export const rolloutRefInput = z.object({ rolloutId: z.uuid('That is not a rollout id.') });
export const rolloutActionInput = rolloutRefInput.extend({ reason: safeString().trim().max(500).optional() });
export const rolloutItemInput = rolloutRefInput.extend({ deploymentId: z.uuid('That is not a deployment id.') });
