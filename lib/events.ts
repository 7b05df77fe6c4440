/**
 * The events Plinth tells customers about (webhooks, notification mail). Client-safe: the webhook form lists
 * them and the zod inputs validate against them.
 */
export const EVENT_TYPES = [
  'deployment.ready',
  'deployment.failed',
  'deployment.deleted',
  'deployment.degraded',
  'deployment.drifted',
  'upgrade.scheduled',
  'upgrade.completed',
  'invoice.issued',
  'credit.issued',
  'payment.failed',
  'organization.deleted',
  'tenant.margin_negative',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** What a customer may subscribe a webhook endpoint to: `tenant.margin_negative` is for staff only. */
export const CUSTOMER_EVENT_TYPES = EVENT_TYPES.filter((t) => t !== 'tenant.margin_negative');

export const EVENT_DESCRIPTIONS: Record<EventType, string> = {
  'deployment.ready': 'A deployment finished creating or changing and is ready.',
  'deployment.failed': 'A deployment step failed; Plinth keeps retrying with a backoff.',
  'deployment.deleted': 'A deployment and everything it created were removed.',
  'deployment.degraded': 'A ready deployment stopped reporting healthy.',
  'deployment.drifted': 'What runs no longer matches the deployment’s settings.',
  'upgrade.scheduled': 'A version upgrade was scheduled for a deployment.',
  'upgrade.completed': 'A version upgrade finished.',
  'invoice.issued': 'A month closed and its invoice was issued.',
  'credit.issued': 'Credit was granted to the organization.',
  'payment.failed': 'A payment failed; update the payment method on the Billing page.',
  'organization.deleted': 'The organization was deleted: its deployments removed, the final invoice written. The last event an endpoint receives.',
  'tenant.margin_negative': 'A tenant costs more to run than it pays (staff only).',
};
