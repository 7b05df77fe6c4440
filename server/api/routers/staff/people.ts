import { staffRoleInput } from '~/lib/inputs/staff';
import { changeStaffRole, listStaff } from '../../../services/staff';
import { router, staffAdminProcedure, staffProcedure } from '../../trpc';

/** Who is Plinth staff, and granting or revoking their roles. */
export const peopleRouter = router({
  list: staffProcedure.query(({ ctx }) => listStaff(ctx.db)),
  /** Grant support or admin, or revoke with role 'none'. */
  setRole: staffAdminProcedure.input(staffRoleInput).mutation(({ ctx, input }) => changeStaffRole(ctx.db, ctx.staff, input)),
});
