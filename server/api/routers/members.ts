import { z } from 'zod';
import { roleSchema } from '~/lib/inputs/account';
import { changeMemberRole, listMembers, removeMember } from '../../services/members';
import { orgProcedure, router } from '../trpc';

export const membersRouter = router({
  list: orgProcedure('viewer').query(({ ctx }) => listMembers(ctx.db, ctx.actor)),
  changeRole: orgProcedure('admin')
    .input(z.object({ userId: z.uuid(), role: roleSchema }))
    .mutation(({ ctx, input }) => changeMemberRole(ctx.db, ctx.actor, input)),
  remove: orgProcedure('admin')
    .input(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.actor, input)),
  /** Any member may leave, unless they are the last owner. */
  leave: orgProcedure('viewer').mutation(({ ctx }) => removeMember(ctx.db, ctx.actor, { userId: ctx.actor.userId })),
});
