import { protectedProcedure, publicProcedure, router } from '../trpc';
import { signUpInput } from '~/lib/inputs/account';
import { signUp } from '../../services/users';

export const authRouter = router({
  /** Creates a password account; the client then signs in through Auth.js. */
  signUp: publicProcedure.input(signUpInput).mutation(({ ctx, input }) => signUp(ctx.db, { ...input, ip: ctx.ip })),
  /** The signed-in user, as the database has them now (staff role included). */
  me: protectedProcedure.query(({ ctx }) => ({
    id: ctx.user.id,
    email: ctx.user.email,
    name: ctx.user.name,
    staffRole: ctx.user.staffRole,
  })),
});
