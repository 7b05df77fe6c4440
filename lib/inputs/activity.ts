/** The Activity page's filters: what kind of change, and who made it. */
import { z } from 'zod';

export const ACTIVITY_KINDS = ['deployment', 'member', 'invitation', 'org', 'billing'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const orgActivityInput = z.object({
  kind: z.enum(ACTIVITY_KINDS, 'Choose a kind of activity from the list.').optional(),
  actorId: z.uuid('Choose a person from the list.').optional(),
});
