/** Webhook endpoint inputs, shared by the router, the REST API and the Settings → Webhooks form. */
import { z } from 'zod';
import { CUSTOMER_EVENT_TYPES } from '~/lib/events';
import { safeString } from '~/lib/safe-string';

export const webhookUrl = safeString()
  .trim()
  .max(2000, 'Use a URL of at most 2000 characters.')
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'Enter an http(s) URL without credentials, e.g. https://example.com/plinth-webhooks.');

export const createWebhookInput = z.object({
  url: webhookUrl,
  events: z
    .array(z.enum(CUSTOMER_EVENT_TYPES, `Choose events among: ${CUSTOMER_EVENT_TYPES.join(', ')}.`))
    .min(1, 'Choose at least one event.')
    .max(CUSTOMER_EVENT_TYPES.length),
  description: safeString().trim().max(200, 'Use at most 200 characters.').optional(),
});

export const webhookId = z.object({ webhookId: z.uuid('That is not a webhook id.') });
export const deliveryId = z.object({ deliveryId: z.uuid('That is not a delivery id.') });
