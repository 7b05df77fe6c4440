import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import { safeString } from '~/lib/safe-string';

/** OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane) — the library's defaults, named here on purpose. */
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

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
