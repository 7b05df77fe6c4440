import { deploymentRefInput, deploymentWindowInput, orgWindowInput } from '~/lib/inputs/fleet';
import { deferUpgrade, deploymentUpgrade, getOrgWindow, orgUpgrades, setDeploymentWindow, setOrgWindow, upgradeNow } from '../../services/fleet/customer';
import { orgProcedure, router } from '../trpc';

/** The customer's side of rollouts: maintenance windows, scheduled upgrades, upgrade now, defer. */
export const fleetRouter = router({
  window: orgProcedure('viewer').query(({ ctx }) => getOrgWindow(ctx.db, ctx.actor, {})),
  setWindow: orgProcedure('admin')
    .input(orgWindowInput)
    .mutation(({ ctx, input }) => setOrgWindow(ctx.db, ctx.actor, input)),
  setDeploymentWindow: orgProcedure('admin')
    .input(deploymentWindowInput)
    .mutation(({ ctx, input }) => setDeploymentWindow(ctx.db, ctx.actor, input)),
  upgrades: orgProcedure('viewer').query(({ ctx }) => orgUpgrades(ctx.db, ctx.actor, {})),
  deploymentUpgrade: orgProcedure('viewer')
    .input(deploymentRefInput)
    .query(({ ctx, input }) => deploymentUpgrade(ctx.db, ctx.actor, input)),
  defer: orgProcedure('admin')
    .input(deploymentRefInput)
    .mutation(({ ctx, input }) => deferUpgrade(ctx.db, ctx.actor, input)),
  upgradeNow: orgProcedure('member')
    .input(deploymentRefInput)
    .mutation(({ ctx, input }) => upgradeNow(ctx.db, ctx.actor, input)),
});
