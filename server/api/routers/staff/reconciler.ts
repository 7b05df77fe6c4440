import { reconcilerHealth } from '../../../reconciler/health';
import { router, staffProcedure } from '../../trpc';

export const reconcilerRouter = router({
  /** Queue depth, oldest due item, leases by worker, failures, throughput and engines. */
  health: staffProcedure.query(({ ctx }) => reconcilerHealth(ctx.db)),
});
