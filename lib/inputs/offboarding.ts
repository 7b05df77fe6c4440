/** Inputs of deleting an organization (server/offboarding/), shared by the router and the dialog. */
import { z } from 'zod';
import { safeString } from '../safe-string';

export const deleteOrgInput = z.object({
  /** The organization's name, typed by the owner: the one-click offboarding cannot be undone. */
  confirmName: safeString().max(200, 'Type the organization’s name exactly.'),
});

export const offboardingIdInput = z.object({ offboardingId: z.uuid('That is not a deletion receipt id.') });
