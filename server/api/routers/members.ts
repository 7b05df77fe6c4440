import { z } from 'zod';
import { orgProcedure, router } from '../trpc';
import { roleSchema } from '../schemas';
import { changeMemberRole, listMembers, removeMember } from '../../services/members';

export const membersRouter = router({
  list: orgProcedure('viewer').query(({ ctx }) => listMembers(ctx.db, ctx.org.id)),
  changeRole: orgProcedure('admin')
    .input(z.object({ userId: z.uuid(), role: roleSchema }))
    .mutation(({ ctx, input }) =>
      changeMemberRole(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id, actorRole: ctx.role, userId: input.userId, role: input.role }),
    ),
  remove: orgProcedure('admin')
    .input(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      removeMember(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id, actorRole: ctx.role, userId: input.userId }),
    ),
  /** Any member may leave, unless they are the last owner. */
  leave: orgProcedure('viewer').mutation(({ ctx }) =>
    removeMember(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id, actorRole: ctx.role, userId: ctx.user.id }),
  ),
});
