import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { memberships, organizations, users, type OrgRole } from '~/db/schema';
import { sessionCheck, type SessionCheck } from '../auth/sessions';
import { AppError } from '../errors';
import type { OrgActor } from '../actor';
import { audit, by } from './audit';

export type OrgSummary = {
  id: string;
  name: string;
  slug: string;
  status: 'active' | 'suspended';
  /** Shown to the tenant's members while suspended, so they know why and whom to ask. */
  suspendedReason: string | null;
  role: OrgRole;
  /** The owner asked to delete it: it can be read, not changed, until it closes (server/offboarding/). */
  deleting: boolean;
};

function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return base || 'org';
}

/** Creates an organization with the actor as its owner. Slugs get a short suffix when the plain one is taken. */
export async function createOrganization(
  db: Db,
  actor: Pick<OrgActor, 'userId'>,
  input: { name: string },
  deps: { orgsPerUser: number },
): Promise<OrgSummary> {
  return db.transaction(async (tx) => {
    // Organizations are free to create, and each one comes with free-plan allowances: cap how many one person
    // owns. The user row lock makes two simultaneous creates count each other.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.userId)).for('update');
    const [owned] = await tx
      .select({ n: count() })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(and(eq(memberships.userId, actor.userId), eq(memberships.role, 'owner'), isNull(organizations.closedAt)));
    const max = deps.orgsPerUser;
    if ((owned?.n ?? 0) >= max) {
      throw new AppError('PRECONDITION_FAILED', `You already own ${owned?.n} organizations, the most one person may own here (${max}). Use one of them, or ask support to raise the limit.`, { field: 'name' });
    }
    const base = slugify(input.name);
    let org: typeof organizations.$inferSelect | undefined;
    for (let attempt = 0; !org && attempt < 5; attempt++) {
      const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
      [org] = await tx
        .insert(organizations)
        .values({ name: input.name, slug })
        .onConflictDoNothing({ target: organizations.slug })
        .returning();
    }
    if (!org) throw new Error('could not allocate an organization slug');
    await tx.insert(memberships).values({ orgId: org.id, userId: actor.userId, role: 'owner' });
    await audit(tx, { ...by(actor), orgId: org.id, action: 'org.create', target: org.id, after: { name: org.name, slug: org.slug } });
    return { id: org.id, name: org.name, slug: org.slug, status: org.status, suspendedReason: null, role: 'owner', deleting: false };
  });
}

/** Every organization the user belongs to, with their role in each; a deleted (closed) one is no longer listed. */
export async function listUserOrganizations(db: Db, userId: string): Promise<OrgSummary[]> {
  return db
    .select({
      id: organizations.id,
      name: organizations.name,
      slug: organizations.slug,
      status: organizations.status,
      suspendedReason: organizations.suspendedReason,
      role: memberships.role,
      deleting: sql<boolean>`${organizations.deletionRequestedAt} is not null`,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), isNull(organizations.closedAt)))
    .orderBy(asc(organizations.name));
}

/**
 * The signed-in user and their membership in `orgId`, in one query: undefined when the user no longer exists,
 * `membership` null when they are not a member. Used by every org-scoped procedure on every call, so a revoked
 * role or a removed member loses access on the next request (one round trip instead of a user then a membership
 * lookup).
 */
/**
 * The caller's user row and their membership of `orgId`, in one query. With `session`, the same query also says
 * whether that session is still valid (not revoked, the user's current session version): see sessionCheck.
 */
/**
 * Built once per database handle: this lookup runs on every org-scoped call, and drizzle building its SQL each
 * time was a measurable share of a signed-in read (bench/read-path.ts). `check` is false where there is no session
 * to check (tests, a context built for a known user).
 */
const membershipLookups = new WeakMap<Db, ReturnType<typeof prepareMembershipLookup>>();

function prepareMembershipLookup(db: Db) {
  const version = sql.placeholder('version');
  return db
    .select({
      user: users,
      role: memberships.role,
      org: organizations,
      sessionValid: sql<boolean>`(not ${sql.placeholder('check')}::boolean or ${sessionCheck(sql.placeholder('sid'), version)})`,
    })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, sql.placeholder('orgId'))))
    .leftJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare('user_with_membership');
}

export async function getUserWithMembership(db: Db, orgId: string, userId: string, session?: SessionCheck) {
  let lookup = membershipLookups.get(db);
  if (!lookup) membershipLookups.set(db, (lookup = prepareMembershipLookup(db)));
  const [row] = await lookup.execute({ orgId, userId, check: session !== undefined, sid: session?.sid ?? '', version: session?.version ?? 0 });
  if (!row) return undefined;
  const membership = row.role && row.org ? { role: row.role, org: row.org } : null;
  return { user: row.user, membership, sessionValid: row.sessionValid };
}

export async function renameOrganization(db: Db, actor: OrgActor, input: { name: string }) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, actor.orgId));
    if (!before) throw new AppError('NOT_FOUND', 'This organization no longer exists.');
    const [org] = await tx
      .update(organizations)
      .set({ name: input.name })
      .where(eq(organizations.id, actor.orgId))
      .returning({ id: organizations.id, name: organizations.name, slug: organizations.slug });
    await audit(tx, { ...by(actor), orgId: actor.orgId, action: 'org.rename', target: actor.orgId, before, after: { name: input.name } });
    return org!;
  });
}
