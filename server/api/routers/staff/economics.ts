import { marginReportInput, setCostRateInput, tenantEconomicsInput } from '~/lib/inputs/economics';
import { setCostRate, viewCostModel } from '../../../economics/cost-model';
import { marginReport, tenantEconomics } from '../../../economics/margin';
import { router, staffAdminProcedure, staffProcedure } from '../../trpc';

export const economicsRouter = router({
  /** Revenue, credits, cost and gross margin per tenant, plan and region over a period, with the fleet total. */
  report: staffProcedure.input(marginReportInput).query(({ ctx, input }) => marginReport(ctx.db, ctx.staff, input)),
  /** One tenant's figures, daily trend and cost per deployment (namespace). */
  tenant: staffProcedure.input(tenantEconomicsInput).query(({ ctx, input }) => tenantEconomics(ctx.db, ctx.staff, input)),
  /** The cost model: figures in effect per plan and region, scheduled changes, history. */
  costModel: staffProcedure.query(({ ctx }) => viewCostModel(ctx.db, ctx.staff)),
  /** A new cost-model row from its effective time (never the past); audited with the reason. */
  setCostRate: staffAdminProcedure.input(setCostRateInput).mutation(({ ctx, input }) => setCostRate(ctx.db, ctx.staff, input)),
});
