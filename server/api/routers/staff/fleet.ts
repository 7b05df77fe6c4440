import {
  publishVersionInput,
  rolloutActionInput,
  rolloutItemInput,
  rolloutPlanInput,
  rolloutRefInput,
  upgradePathInput,
  versionStatusInput,
} from '~/lib/inputs/fleet';
import {
  cancelRollout,
  createRollout,
  dryRunRollout,
  getRollout,
  listRollouts,
  pauseRolloutByStaff,
  resumeRollout,
  retryFailed,
  skipRolloutItem,
} from '../../../services/fleet/rollouts';
import { addUpgradePath, listVersions, publishVersion, removeUpgradePath, setVersionStatus } from '../../../services/fleet/versions';
import { router, staffAdminProcedure, staffProcedure } from '../../trpc';

/** Versions, upgrade paths and rollouts (internal console). Reads for all staff; changes for admins. */
export const fleetRouter = router({
  versions: staffProcedure.query(({ ctx }) => listVersions(ctx.db, ctx.staff)),
  publishVersion: staffAdminProcedure.input(publishVersionInput).mutation(({ ctx, input }) => publishVersion(ctx.db, ctx.staff, input)),
  setVersionStatus: staffAdminProcedure.input(versionStatusInput).mutation(({ ctx, input }) => setVersionStatus(ctx.db, ctx.staff, input)),
  addPath: staffAdminProcedure.input(upgradePathInput).mutation(({ ctx, input }) => addUpgradePath(ctx.db, ctx.staff, input)),
  removePath: staffAdminProcedure.input(upgradePathInput).mutation(({ ctx, input }) => removeUpgradePath(ctx.db, ctx.staff, input)),
  rollouts: staffProcedure.query(({ ctx }) => listRollouts(ctx.db, ctx.staff)),
  rollout: staffProcedure.input(rolloutRefInput).query(({ ctx, input }) => getRollout(ctx.db, ctx.staff, input)),
  /** Read-only: what a rollout with these settings would do. */
  dryRun: staffProcedure.input(rolloutPlanInput).query(({ ctx, input }) => dryRunRollout(ctx.db, ctx.staff, input)),
  createRollout: staffAdminProcedure.input(rolloutPlanInput).mutation(({ ctx, input }) => createRollout(ctx.db, ctx.staff, input)),
  pause: staffAdminProcedure.input(rolloutActionInput).mutation(({ ctx, input }) => pauseRolloutByStaff(ctx.db, ctx.staff, input)),
  resume: staffAdminProcedure.input(rolloutActionInput).mutation(({ ctx, input }) => resumeRollout(ctx.db, ctx.staff, input)),
  cancel: staffAdminProcedure.input(rolloutActionInput).mutation(({ ctx, input }) => cancelRollout(ctx.db, ctx.staff, input)),
  skip: staffAdminProcedure.input(rolloutItemInput).mutation(({ ctx, input }) => skipRolloutItem(ctx.db, ctx.staff, input)),
  retryFailed: staffAdminProcedure.input(rolloutRefInput).mutation(({ ctx, input }) => retryFailed(ctx.db, ctx.staff, input)),
});
