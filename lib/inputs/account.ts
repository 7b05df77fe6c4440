/** Account and organization inputs, shared by the routers and the forms that feed them. */
import { z } from 'zod';
import { orgRoles } from '../roles';
import { safeString } from '../safe-string';

const common = new Set([
  'password', 'password1', 'password123', '1234567890', '12345678910', 'qwertyuiop', 'iloveyou12',
  'letmein123', 'welcome123', 'administrator', 'passw0rd12', 'abcdefghij', 'qwerty1234', '0987654321',
]);

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export const emailSchema = safeString()
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .email('Enter a valid email address, like name@company.com.')
  .transform(normalizeEmail);

/** Long beats clever: 10+ characters, not a well-known password, not all one character. */
export const newPasswordSchema = safeString()
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.')
  .refine((p) => !common.has(p.toLowerCase()), 'This password is too common. Choose something less guessable.')
  .refine((p) => new Set(p).size >= 4, 'This password is too repetitive. Mix in more different characters.');

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

/** Forgot password: the address to send the link to. */
export const forgotPasswordInput = z.object({ email: emailSchema });

/** The link's token and the new password. */
export const resetPasswordInput = z.object({
  token: safeString().min(20, 'This reset link is incomplete. Open the link from the mail again.').max(100, 'This reset link is not valid.'),
  newPassword: newPasswordSchema,
});

export const notificationPreferenceInput = z.object({
  kind: z.enum(['deployment_failed', 'upgrade_scheduled', 'invoice_issued'], 'Choose a notification from the list.'),
  enabled: z.boolean(),
});
