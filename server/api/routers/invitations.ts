import { z } from 'zod';
import { safeString } from '~/lib/safe-string';
import { orgProcedure, protectedProcedure, publicProcedure, router } from '../trpc';
import { inviteInput } from '../schemas';
import {
  acceptInvitation,
  createInvitation,
  describeInvitation,
  listInvitations,
  revokeInvitation,
} from '../../services/invitations';

const token = safeString().min(10, 'This invitation link is incomplete.').max(100);

export const invitationsRouter = router({
  list: orgProcedure('admin').query(({ ctx }) => listInvitations(ctx.db, ctx.org.id)),
  create: orgProcedure('admin')
    .input(inviteInput)
    .mutation(({ ctx, input }) =>
      createInvitation(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id, actorRole: ctx.role, role: input.role, email: input.email }),
    ),
  revoke: orgProcedure('admin')
    .input(z.object({ invitationId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id, invitationId: input.invitationId })),
  /** Public: the invite page shows the org name and role before the invitee signs in. */
  describe: publicProcedure.input(z.object({ token })).query(({ ctx, input }) => describeInvitation(ctx.db, input.token)),
  accept: protectedProcedure
    .input(z.object({ token }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, { token: input.token, userId: ctx.user.id, email: ctx.user.email })),
});
