/**
 * The internal console's API (Plinth staff, not customers). Reads use staffProcedure (support and admin); every
 * change uses staffAdminProcedure. server/api/isolation.staff.test.ts enumerates these: support is refused every
 * mutation, customers everything.
 */
import { router, staffProcedure } from '../../trpc';
import { listOutbox } from '../../../mail';
import { creditsRouter } from './credits';
import { deploymentsRouter } from './deployments';
import { fleetRouter } from './fleet';
import { economicsRouter } from './economics';
import { peopleRouter } from './people';
import { reconcilerRouter } from './reconciler';
import { tenantsRouter } from './tenants';

export const staffRouter = router({
  tenants: tenantsRouter,
  credits: creditsRouter,
  deployments: deploymentsRouter,
  fleet: fleetRouter,
  reconciler: reconcilerRouter,
  people: peopleRouter,
  /** The local mail outbox (everything queued; what was sent has sentAt): how embedded mode reads its mail. */
  mail: router({ outbox: staffProcedure.query(({ ctx }) => listOutbox(ctx.db)) }),
  economics: economicsRouter,
});
