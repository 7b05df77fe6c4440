import { z } from 'zod';
import { orgNameSchema } from '~/lib/inputs/account';
import { orgActivityInput } from '~/lib/inputs/activity';
import { listOrgActivity } from '../../services/activity';
import { createOrganization, listUserOrganizations, renameOrganization } from '../../services/orgs';
import { deleteOrgInput, offboardingIdInput } from '~/lib/inputs/offboarding';
import { getOffboardingReceipt, getOrgOffboarding, listMyOffboardings, requestOrgDeletion } from '../../offboarding/request';
import { orgProcedure, protectedProcedure, router } from '../trpc';

export const orgsRouter = router({
  /** The organizations the caller belongs to (for the switcher). */
  mine: protectedProcedure.query(({ ctx }) => listUserOrganizations(ctx.db, ctx.user.id)),
  create: protectedProcedure
    .input(z.object({ name: orgNameSchema }))
    .mutation(({ ctx, input }) => createOrganization(ctx.db, { userId: ctx.user.id }, input, { orgsPerUser: ctx.config.limits.orgsPerUser })),
  get: orgProcedure('viewer').query(({ ctx }) => ({
    id: ctx.org.id,
    name: ctx.org.name,
    slug: ctx.org.slug,
    status: ctx.org.status,
    deletionRequestedAt: ctx.org.deletionRequestedAt,
    createdAt: ctx.org.createdAt,
    role: ctx.actor.role,
  })),
  /** The organization's audit trail for its members (the Activity page). */
  activity: orgProcedure('viewer')
    .input(orgActivityInput)
    .query(({ ctx, input }) => listOrgActivity(ctx.db, ctx.actor, input)),
  rename: orgProcedure('admin')
    .input(z.object({ name: orgNameSchema }))
    .mutation(({ ctx, input }) => renameOrganization(ctx.db, ctx.actor, input)),
  /**
   * Deletes the organization (owner only, the name typed to confirm): one request, carried out in order by the
   * offboarding job (server/offboarding/). Asking again returns the deletion under way.
   */
  delete: orgProcedure('viewer')
    .meta({ scope: 'org', minRole: 'viewer', whileDeleting: true })
    .input(deleteOrgInput)
    .mutation(({ ctx, input }) => requestOrgDeletion(ctx.db, ctx.actor, input)),
  /** The organization's deletion and how far it got; null when none was asked for. */
  deletion: orgProcedure('viewer').query(({ ctx }) => getOrgOffboarding(ctx.db, ctx.actor)),
  /** A deletion receipt, for an owner of the deleted organization: it outlives the organization. */
  deletionReceipt: protectedProcedure.input(offboardingIdInput).query(({ ctx, input }) => getOffboardingReceipt(ctx.db, ctx.user.id, input)),
  /** The deletions whose receipt the caller can read (organizations they owned). */
  deletions: protectedProcedure.query(({ ctx }) => listMyOffboardings(ctx.db, ctx.user.id)),
});
