/** API key inputs, shared by the router, the REST API and the Settings → API keys form. */
import { z } from 'zod';
import { safeDate, safeString } from '~/lib/safe-string';

export const API_KEY_ROLES = ['admin', 'member', 'viewer'] as const;

export const apiKeyRoleSchema = z.enum(API_KEY_ROLES, 'Choose admin, member or viewer.');

export const createApiKeyInput = z.object({
  name: safeString().trim().min(1, 'Name the key after what uses it, e.g. "CI".').max(60, 'Use at most 60 characters.'),
  role: apiKeyRoleSchema,
  /** Optional; a key without one works until it is revoked. */
  expiresAt: safeDate('Enter a valid expiry date.').nullish(),
});

export const apiKeyId = z.object({ keyId: z.uuid('That is not an API key id.') });
