import { staffProcedure, router } from '../trpc';
import { listAllOrganizations } from '../../services/orgs';

export const adminRouter = router({
  /** Every tenant, for support and admins. */
  organizations: staffProcedure.query(({ ctx }) => listAllOrganizations(ctx.db)),
});
