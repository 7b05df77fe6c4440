/**
 * Org API keys: create (the secret is returned once), list, revoke, and authenticate a presented key.
 *
 * A key reads `plk_<prefix>_<secret>`. The prefix (12 hex characters) finds the row and is shown in lists; the
 * whole key is hashed with sha256 and compared in constant time. A key acts for the member who made it, with the
 * lower of the key's role and that member's current role, so a key can never do more than its maker now may, and
 * it stops working when they leave the organization.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { apiKeys, memberships, organizations, users, type ApiKeyRole, type OrgRole } from '~/db/schema';
import type { z } from 'zod';
import type { apiKeyId, createApiKeyInput } from '~/lib/inputs/api-keys';
import { hasRole } from '~/lib/roles';
import type { OrgActor, StaffActor } from '../actor';
import { AppError } from '../errors';
import { audit, by } from './audit';

const KEY_PATTERN = /^plk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** The columns a list shows: never the hash. */
const listed = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  role: apiKeys.role,
  createdAt: apiKeys.createdAt,
  createdByEmail: users.email,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  lastUsedIp: apiKeys.lastUsedIp,
  revokedAt: apiKeys.revokedAt,
};

export async function createApiKey(db: Db, actor: OrgActor, input: z.infer<typeof createApiKeyInput>, deps: { now?: () => Date } = {}) {
  const now = deps.now?.() ?? new Date();
  if (!hasRole(actor.role, input.role)) {
    throw new AppError('FORBIDDEN', `You are a ${actor.role}; a key cannot have more rights than you. Choose ${actor.role} or lower.`, { field: 'role' });
  }
  if (input.expiresAt && input.expiresAt <= now) {
    throw new AppError('BAD_REQUEST', 'Choose an expiry in the future, or none.', { field: 'expiresAt' });
  }
  const prefix = randomBytes(6).toString('hex');
  const key = `plk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ orgId: actor.orgId, name: input.name, prefix, secretHash: hashKey(key), role: input.role, createdBy: actor.userId, expiresAt: input.expiresAt ?? null })
      .returning();
    await audit(tx, { ...by(actor), orgId: actor.orgId, action: 'api_key.create', target: row!.id, after: { name: input.name, role: input.role, prefix, expiresAt: input.expiresAt ?? null } });
    return { id: row!.id, name: row!.name, prefix, role: row!.role, expiresAt: row!.expiresAt, createdAt: row!.createdAt, key };
  });
}

export async function listApiKeys(db: Db, actor: Pick<OrgActor, 'orgId'>) {
  return db
    .select(listed)
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.orgId, actor.orgId))
    .orderBy(desc(apiKeys.createdAt));
}

/** Staff see a tenant's keys (name, prefix, role, use), never a secret: only its hash is stored anyway. */
export async function listTenantApiKeys(db: Db, _staff: StaffActor, input: { orgId: string }) {
  return listApiKeys(db, input);
}

export async function revokeApiKey(db: Db, actor: OrgActor, input: z.infer<typeof apiKeyId>) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
      .where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.orgId, actor.orgId)))
      .returning();
    if (!row) throw new AppError('NOT_FOUND', 'That API key does not exist in this organization.');
    await audit(tx, { ...by(actor), orgId: actor.orgId, action: 'api_key.revoke', target: row.id, before: { name: row.name, prefix: row.prefix } });
    return { id: row.id, revokedAt: row.revokedAt };
  });
}

const refused = (message: string) => new AppError('UNAUTHORIZED', message);

/**
 * The actor a presented key stands for, or an UNAUTHORIZED error that says why (malformed, unknown, revoked,
 * expired, maker gone). Records the last use (time and address) at most once a minute per key, so a busy script
 * does not turn every read into a write.
 */
export async function authenticateApiKey(db: Db, presented: string, ip: string, now = new Date()): Promise<OrgActor & { apiKeyId: string; orgSlug: string; keyRole: ApiKeyRole }> {
  const m = KEY_PATTERN.exec(presented);
  if (!m) throw refused('That is not a Plinth API key. Keys look like plk_…; create one under Settings → API keys.');
  const [row] = await db
    .select({ key: apiKeys, memberRole: memberships.role, orgSlug: organizations.slug })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.orgId))
    .leftJoin(memberships, and(eq(memberships.orgId, apiKeys.orgId), eq(memberships.userId, apiKeys.createdBy)))
    .where(eq(apiKeys.prefix, m[1]!));
  const expected = Buffer.from(row?.key.secretHash ?? '0'.repeat(64), 'hex');
  const matches = timingSafeEqual(expected, Buffer.from(hashKey(presented), 'hex'));
  if (!row || !matches) throw refused('This API key is not valid. Check it was copied whole, or create a new one.');
  const { key } = row;
  if (key.revokedAt) throw refused(`This API key ("${key.name}") was revoked. Create a new one under Settings → API keys.`);
  if (key.expiresAt && key.expiresAt <= now) throw refused(`This API key ("${key.name}") expired on ${key.expiresAt.toISOString().slice(0, 10)}. Create a new one.`);
  if (!row.memberRole) throw refused(`This API key ("${key.name}") belonged to someone who left the organization. Create a new one.`);
  const role: OrgRole = hasRole(row.memberRole, key.role) ? key.role : row.memberRole;
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000 || key.lastUsedIp !== ip) {
    await db.update(apiKeys).set({ lastUsedAt: now, lastUsedIp: ip }).where(eq(apiKeys.id, key.id));
  }
  return { orgId: key.orgId, orgSlug: row.orgSlug, userId: key.createdBy, role, apiKeyId: key.id, keyRole: key.role };
}
