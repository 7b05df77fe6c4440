/**
 * The internal console's API. Reads use staffProcedure (support and admin); every change uses adminProcedure.
 * server/api/isolation.staff.test.ts enumerates these: support is refused every mutation, customers everything.
 */
import { router } from '../../trpc';
import { creditsRouter } from './credits';
import { deploymentsRouter } from './deployments';
import { reconcilerRouter } from './reconciler';
import { staffRouter } from './staff';
import { tenantsRouter } from './tenants';

export const adminRouter = router({
  tenants: tenantsRouter,
  credits: creditsRouter,
  deployments: deploymentsRouter,
  reconciler: reconcilerRouter,
  staff: staffRouter,
});
