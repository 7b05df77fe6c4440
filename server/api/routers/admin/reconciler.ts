import { router, staffProcedure } from '../../trpc';
import { reconcilerHealth } from '../../../services/admin/reconciler-health';

export const reconcilerRouter = router({
  /** Queue depth, oldest due item, leases by worker, failures, throughput and engines. */
  health: staffProcedure.query(({ ctx }) => reconcilerHealth(ctx.db)),
});
