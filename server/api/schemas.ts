/** Input schemas shared by the routers and the forms that feed them. */
import { z } from 'zod';
import { safeString } from '~/lib/safe-string';
import { emailSchema, newPasswordSchema } from '../auth/password';
import { orgRoles } from '../services/roles';

export const signUpInput = z.object({
  name: safeString().trim().max(100, 'Use at most 100 characters.').default(''),
  email: emailSchema,
  password: newPasswordSchema,
});

export const orgNameSchema = safeString()
  .trim()
  .min(2, 'Use at least 2 characters.')
  .max(60, 'Use at most 60 characters.')
  .regex(/[\p{L}\p{N}]/u, 'Include at least one letter or number.');

export const roleSchema = z.enum(orgRoles, 'Choose a role: owner, admin, member or viewer.');

export const inviteInput = z.object({
  role: roleSchema,
  email: z
    .union([z.literal(''), emailSchema])
    .optional()
    .transform((v) => (v ? v : null)),
});

export const profileInput = z.object({ name: safeString().trim().max(100, 'Use at most 100 characters.') });

export const changePasswordInput = z.object({
  currentPassword: safeString().max(200, 'Use at most 200 characters.').default(''),
  newPassword: newPasswordSchema,
});
