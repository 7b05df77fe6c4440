/**
 * The steps of deleting an organization, as the console shows them (client-safe). The job that carries them
 * out is server/offboarding/job.ts; `step` on the offboarding row is the first step not yet done.
 */
import type { OffboardingStep } from '~/db/schema';

export const OFFBOARDING_STEPS = [
  { step: 'deployments', label: 'Remove every deployment', detail: 'Each app is removed, then its infrastructure.' },
  { step: 'invoice', label: 'Write the final invoice', detail: 'Usage up to now, with any credit applied; a subscription is cancelled.' },
  { step: 'close', label: 'Close the organization', detail: 'Members lose access, API keys are revoked, webhooks get a last organization.deleted event.' },
  { step: 'receipt', label: 'Send the receipt', detail: 'What was removed and when, mailed to you and kept on the receipt page.' },
] as const satisfies ReadonlyArray<{ step: Exclude<OffboardingStep, 'done'>; label: string; detail: string }>;

const ORDER: OffboardingStep[] = ['deployments', 'invoice', 'close', 'receipt', 'done'];

/** Where `step` (a row's current step) stands relative to `current`: done, running now, or still to come. */
export function stepState(step: OffboardingStep, current: OffboardingStep): 'done' | 'running' | 'waiting' {
  const a = ORDER.indexOf(step);
  const b = ORDER.indexOf(current);
  return a < b ? 'done' : a === b ? 'running' : 'waiting';
}

/** The receipt's short number: the invoice id's first block, upper-case. */
export const invoiceNumber = (invoiceId: string) => `INV-${invoiceId.slice(0, 8).toUpperCase()}`;

/** Where the owner reads the receipt; outside the console, so it works after the organization is closed. */
export const receiptPath = (offboardingId: string) => `/offboardings/${offboardingId}`;
