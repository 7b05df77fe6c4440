import { apiKeysRouter } from './routers/api-keys';
import { authRouter } from './routers/auth';
import { billingRouter } from './routers/billing';
import { catalogRouter } from './routers/catalog';
import { deploymentsRouter } from './routers/deployments';
import { fleetRouter } from './routers/fleet';
import { invitationsRouter } from './routers/invitations';
import { membersRouter } from './routers/members';
import { orgsRouter } from './routers/orgs';
import { staffRouter } from './routers/staff';
import { webhooksRouter } from './routers/webhooks';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  catalog: catalogRouter,
  orgs: orgsRouter,
  members: membersRouter,
  deployments: deploymentsRouter,
  fleet: fleetRouter,
  billing: billingRouter,
  invitations: invitationsRouter,
  apiKeys: apiKeysRouter,
  webhooks: webhooksRouter,
  staff: staffRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
