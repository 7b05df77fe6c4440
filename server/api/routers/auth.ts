import { router, publicProcedure } from '../trpc';
import { signUpInput } from '../schemas';
import { signUp } from '../../services/users';

export const authRouter = router({
  /** Creates a password account; the client then signs in through Auth.js. */
  signUp: publicProcedure.input(signUpInput).mutation(({ ctx, input }) => signUp(ctx.db, { ...input, ip: ctx.ip })),
});
