import { protectedProcedure, publicProcedure, router } from '../trpc';
import { changePasswordInput, forgotPasswordInput, notificationPreferenceInput, profileInput, resetPasswordInput, signUpInput } from '~/lib/inputs/account';
import { notificationSettings, setNotification } from '../../mail/notify';
import { requestPasswordReset, resetPassword } from '../../services/password-reset';
import { changePassword, signOutEverywhere, updateProfile } from '../../services/account';
import { signUp } from '../../services/users';

export const authRouter = router({
  /** Creates a password account; the client then signs in through Auth.js. */
  signUp: publicProcedure.input(signUpInput).mutation(({ ctx, input }) => signUp(ctx.db, { ...input, ip: ctx.ip }, { signUpsPerIpPerHour: ctx.config.limits.signUpsPerIpPerHour })),
  /** The signed-in user, as the database has them now (staff role included). */
  me: protectedProcedure.query(({ ctx }) => ({
    id: ctx.user.id,
    email: ctx.user.email,
    name: ctx.user.name,
    staffRole: ctx.user.staffRole,
    hasPassword: ctx.user.passwordHash !== null,
  })),
  updateProfile: protectedProcedure.input(profileInput).mutation(({ ctx, input }) => updateProfile(ctx.db, { userId: ctx.user.id, name: input.name })),
  /** Ends every session of the caller, this one included; the form then signs back in with the new password. */
  changePassword: protectedProcedure
    .input(changePasswordInput)
    .mutation(({ ctx, input }) => changePassword(ctx.db, { userId: ctx.user.id, ...input })),
  signOutEverywhere: protectedProcedure.mutation(({ ctx }) => signOutEverywhere(ctx.db, ctx.user.id)),
  /** Forgot password: the same answer whether or not the address has an account. */
  requestPasswordReset: publicProcedure
    .input(forgotPasswordInput)
    .mutation(({ ctx, input }) => requestPasswordReset(ctx.db, { email: input.email, ip: ctx.ip }, { appUrl: ctx.config.billing.appUrl })),
  resetPassword: publicProcedure.input(resetPasswordInput).mutation(({ ctx, input }) => resetPassword(ctx.db, input)),
  /** Which notification mails the caller receives (all, unless turned off). */
  notifications: protectedProcedure.query(({ ctx }) => notificationSettings(ctx.db, ctx.user.id)),
  setNotification: protectedProcedure.input(notificationPreferenceInput).mutation(({ ctx, input }) => setNotification(ctx.db, ctx.user.id, input)),
});
