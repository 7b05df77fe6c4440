/**
 * The internal console's API (Plinth staff, not customers). Reads use staffProcedure (support and admin); every
 * change uses staffAdminProcedure. server/api/isolation.staff.test.ts enumerates these: support is refused every
 * mutation, customers everything.
 */
import { router } from '../../trpc';
import { creditsRouter } from './credits';
import { deploymentsRouter } from './deployments';
import { economicsRouter } from './economics';
import { peopleRouter } from './people';
import { reconcilerRouter } from './reconciler';
import { tenantsRouter } from './tenants';

export const staffRouter = router({
  tenants: tenantsRouter,
  credits: creditsRouter,
  deployments: deploymentsRouter,
  reconciler: reconcilerRouter,
  people: peopleRouter,
  economics: economicsRouter,
});
