/**
 * Grants a staff role from the command line — how the first admin is made.
 *
 *   npm run admin:create -- --email you@company.com [--role admin|support] [--password '...']
 *
 * If no user has that email yet, one is created (with --password, or a generated one that is printed once).
 * In embedded mode stop Plinth first: the embedded database belongs to one process at a time.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '~/db/client';
import { users } from '~/db/schema';
import { emailSchema, hashPassword, newPasswordSchema } from '~/server/auth/password';
import { env } from '~/server/env';
import { setStaffRole } from '~/server/services/staff';
import { findUserByEmail } from '~/server/services/users';

const { values } = parseArgs({
  options: { email: { type: 'string' }, role: { type: 'string', default: 'admin' }, password: { type: 'string' } },
});

function fail(message: string): never {
  console.error(`admin:create: ${message}`);
  process.exit(1);
}

const email = emailSchema.safeParse(values.email ?? '');
if (!email.success) fail(`--email: ${email.error.issues[0]?.message ?? 'required'}`);
const role = values.role;
if (role !== 'admin' && role !== 'support') fail('--role must be admin or support.');

const database = await openDatabase(env.databaseUrl ?? path.join(env.dataDir, 'pglite')).catch((e: Error) => fail(e.message));
try {
  let generated: string | undefined;
  if (!(await findUserByEmail(database.db, email.data))) {
    const password = values.password ?? (generated = randomBytes(12).toString('base64url'));
    const ok = newPasswordSchema.safeParse(password);
    if (!ok.success) fail(`--password: ${ok.error.issues[0]?.message}`);
    await database.db.insert(users).values({ email: email.data, name: '', passwordHash: await hashPassword(password) });
    console.log(`Created user ${email.data}.`);
  }
  const result = await setStaffRole(database.db, null, { email: email.data, role, reason: 'admin:create command' });
  console.log(`${result.email} now has the staff role "${result.staffRole}". Sign in and open /admin.`);
  if (generated) console.log(`Generated password (shown once): ${generated}`);
} finally {
  await database.close();
}
