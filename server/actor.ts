/**
 * Who a service acts for, as verified by the tRPC procedure that calls it (server/api/trpc.ts). Every org service
 * takes `(db, actor: OrgActor, input, deps?)`; every staff service `(db, actor: StaffActor, input, deps?)`.
 */
import type { OrgRole, StaffRole } from '~/db/schema';

/**
 * A member of `orgId`, with their role in it. Through an API key, `userId` is the member who created the key,
 * `role` the lower of theirs and the key's, and `apiKeyId` the key, so audit rows name both.
 */
export type OrgActor = { orgId: string; userId: string; role: OrgRole; apiKeyId?: string };

/** A Plinth employee: support reads every tenant, admin also changes them. */
export type StaffActor = { userId: string; staffRole: Exclude<StaffRole, 'none'> };
