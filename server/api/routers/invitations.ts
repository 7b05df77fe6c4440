import { z } from 'zod';
import { inviteInput } from '~/lib/inputs/account';
import { safeString } from '~/lib/safe-string';
import {
  acceptInvitation,
  createInvitation,
  describeInvitation,
  listInvitations,
  revokeInvitation,
} from '../../services/invitations';
import { orgProcedure, protectedProcedure, publicProcedure, router } from '../trpc';

const token = safeString().min(10, 'This invitation link is incomplete.').max(100);

export const invitationsRouter = router({
  list: orgProcedure('admin').query(({ ctx }) => listInvitations(ctx.db, ctx.actor)),
  create: orgProcedure('admin')
    .input(inviteInput)
    .mutation(({ ctx, input }) => createInvitation(ctx.db, ctx.actor, input, { appUrl: ctx.config.billing.appUrl })),
  revoke: orgProcedure('admin')
    .input(z.object({ invitationId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.db, ctx.actor, input)),
  /** Public: the invite page shows the org name and role before the invitee signs in. */
  describe: publicProcedure.input(z.object({ token })).query(({ ctx, input }) => describeInvitation(ctx.db, input.token)),
  accept: protectedProcedure
    .input(z.object({ token }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, { token: input.token, userId: ctx.user.id, email: ctx.user.email })),
});
