import { z } from 'zod';
import { orgNameSchema } from '~/lib/inputs/account';
import { orgActivityInput } from '~/lib/inputs/activity';
import { listOrgActivity } from '../../services/activity';
import { createOrganization, listUserOrganizations, renameOrganization } from '../../services/orgs';
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
});
