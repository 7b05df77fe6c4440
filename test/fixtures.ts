/**
 * What integration tests build their world from: a typed API caller per person, organizations with members and
 * deployments, a plan without a deployment quota, and the "victim" tenant the isolation tests attack. The
 * database itself comes from test/harness.ts (both drivers).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import type { OrgRole } from '~/db/schema';
import { callerFor, makeUser } from './harness';

export { callerFor, makeUser };

/** A tRPC caller acting as one person: `api.deployments.create(...)` and so on, fully typed. */
export type Api = ReturnType<typeof callerFor>;
export type TestUser = Awaited<ReturnType<typeof makeUser>>;

/** The deployment every test asks for unless it says otherwise: the smallest paid plan in the first region. */
export const DEFAULT_DEPLOYMENT = { plan: 'starter', region: 'eu-west-1', version: '7.2.5' } as const;

/** A new person owning a new organization. The email is made unique unless given. */
export async function makeOrg(db: Db, name: string, ownerEmail = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 6)}@example.test`) {
  const owner = await makeUser(db, ownerEmail);
  const org = await owner.api.orgs.create({ name });
  return { owner, org, orgId: org.id, api: owner.api };
}

/** Adds `user` to the org with `role`, through a real invitation accepted by them. */
export async function joinOrg(owner: Api, orgId: string, user: TestUser, role: OrgRole) {
  const { token } = await owner.invitations.create({ orgId, role });
  await user.api.invitations.accept({ token });
}

/** Creates a deployment through the API (so quotas, audit and NOTIFY all apply). */
export function makeDeployment(api: Api, orgId: string, name: string, over: Partial<{ plan: string; region: string; version: string; idempotencyKey: string }> = {}) {
  return api.deployments.create({ orgId, name, ...DEFAULT_DEPLOYMENT, idempotencyKey: randomUUID(), ...over });
}

/** Lifts the per-organization deployment quota of one plan (or all), for tests that create many. */
export async function unlimitedQuota(db: Db, plan?: string) {
  await db.execute(
    plan
      ? sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null') where slug = ${plan}`
      : sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null')`,
  );
}

/**
 * The tenant the isolation tests attack: "Victim", its owner, a member, and a Starter deployment named
 * victim-cache. Everything is created through the API, as a customer would.
 */
export async function makeVictimOrg(db: Db) {
  const owner = await makeUser(db, 'owner@victim.test');
  const org = await owner.api.orgs.create({ name: 'Victim' });
  const member = await makeUser(db, 'member@victim.test');
  await joinOrg(owner.api, org.id, member, 'member');
  const deployment = await makeDeployment(owner.api, org.id, 'victim-cache', { idempotencyKey: 'victim-create' });
  return { owner, member, org, orgId: org.id, deployment };
}
