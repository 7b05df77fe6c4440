import { adminProcedure, router, staffProcedure } from '../../trpc';
import { staffRoleInput } from '../../../services/admin/schema';
import { changeStaffRole, listStaff } from '../../../services/admin/staff';

export const staffRouter = router({
  list: staffProcedure.query(({ ctx }) => listStaff(ctx.db)),
  /** Grant support or admin, or revoke with role 'none'. */
  setRole: adminProcedure
    .input(staffRoleInput)
    .mutation(({ ctx, input }) => changeStaffRole(ctx.db, { actorId: ctx.user.id, email: input.email, role: input.role, reason: input.reason })),
});
