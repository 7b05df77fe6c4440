import { z } from 'zod';
import { orgProcedure, protectedProcedure, router } from '../trpc';
import { orgNameSchema } from '../schemas';
import { createOrganization, listUserOrganizations, renameOrganization } from '../../services/orgs';

export const orgsRouter = router({
  /** The organizations the caller belongs to (for the switcher). */
  mine: protectedProcedure.query(({ ctx }) => listUserOrganizations(ctx.db, ctx.user.id)),
  create: protectedProcedure
    .input(z.object({ name: orgNameSchema }))
    .mutation(({ ctx, input }) => createOrganization(ctx.db, { actorId: ctx.user.id, name: input.name })),
  get: orgProcedure('viewer').query(({ ctx }) => ({
    id: ctx.org.id,
    name: ctx.org.name,
    slug: ctx.org.slug,
    status: ctx.org.status,
    createdAt: ctx.org.createdAt,
    role: ctx.role,
  })),
  rename: orgProcedure('admin')
    .input(z.object({ name: orgNameSchema }))
    .mutation(({ ctx, input }) => renameOrganization(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id, name: input.name })),
});
