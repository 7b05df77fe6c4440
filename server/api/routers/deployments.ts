import { z } from 'zod';
import {
  createDeploymentInput,
  deleteDeploymentInput,
  listDeploymentsInput,
  metricsInput,
  restoreSnapshotInput,
  runStateInput,
  updateDeploymentInput,
  upgradeDeploymentInput,
} from '~/lib/inputs/deployments';
import {
  createDeployment,
  deleteDeployment,
  getDeployment,
  listDeployments,
  retryDeployment,
  revealCredentials,
  startDeployment,
  stopDeployment,
  updateDeployment,
  upgradeDeployment,
} from '../../services/deployments';
import { deploymentMetrics } from '../../services/deployments/metrics';
import { listSnapshots, restoreSnapshot, takeSnapshot } from '../../snapshots/service';
import { orgProcedure, router, type Context } from '../trpc';

const byId = z.object({ deploymentId: z.uuid('That is not a deployment id.') });

/**
 * What a member's command needs from the process: the past-due grace period, whether paid plans need a payment
 * method (only where payments are configured; see allowance.ts), and, to create, the engines.
 */
const customer = (config: Context['config']) => ({
  pastDueGraceDays: config.billing.pastDueGraceDays,
  payments: { paymentsConfigured: config.billing.stripe !== null, freeDeploymentsPerUser: config.limits.freeDeploymentsPerUser },
});

export const deploymentsRouter = router({
  list: orgProcedure('viewer')
    .input(listDeploymentsInput)
    .query(({ ctx, input }) => listDeployments(ctx.db, ctx.actor, input)),
  get: orgProcedure('viewer')
    .input(byId)
    .query(({ ctx, input }) => getDeployment(ctx.db, ctx.actor, input)),
  /** Memory, operations, clients and hit ratio over 1 h / 24 h / 7 d (sandbox series or Prometheus). */
  metrics: orgProcedure('viewer')
    .input(metricsInput)
    .query(({ ctx, input }) => deploymentMetrics(ctx.db, ctx.actor, input, { prometheusUrl: ctx.config.metrics?.prometheusUrl ?? null })),
  /** Viewers see everything but secrets: revealing the password needs a member. */
  credentials: orgProcedure('member')
    .input(byId)
    .mutation(({ ctx, input }) => revealCredentials(ctx.db, ctx.actor, input, { secretKey: ctx.config.secretKey })),
  create: orgProcedure('member')
    .input(createDeploymentInput)
    .mutation(({ ctx, input }) => createDeployment(ctx.db, ctx.actor, input, { ...customer(ctx.config), engines: ctx.config.engines })),
  update: orgProcedure('member')
    .input(updateDeploymentInput)
    .mutation(({ ctx, input }) => updateDeployment(ctx.db, ctx.actor, input, customer(ctx.config))),
  upgrade: orgProcedure('member')
    .input(upgradeDeploymentInput)
    .mutation(({ ctx, input }) => upgradeDeployment(ctx.db, ctx.actor, input, customer(ctx.config))),
  delete: orgProcedure('member')
    .input(deleteDeploymentInput)
    .mutation(({ ctx, input }) => deleteDeployment(ctx.db, ctx.actor, input, customer(ctx.config))),
  /** The deployment's snapshots (newest first) and how long its plan keeps them. */
  snapshots: orgProcedure('viewer')
    .input(byId)
    .query(({ ctx, input }) => listSnapshots(ctx.db, ctx.actor, input)),
  takeSnapshot: orgProcedure('member')
    .input(byId)
    .mutation(({ ctx, input }) => takeSnapshot(ctx.db, ctx.actor, input, customer(ctx.config))),
  /** A new deployment made from the snapshot; the live one is never touched. */
  restoreSnapshot: orgProcedure('member')
    .input(restoreSnapshotInput)
    .mutation(({ ctx, input }) => restoreSnapshot(ctx.db, ctx.actor, input, { ...customer(ctx.config), engines: ctx.config.engines })),
  /** Scale to zero and keep the data; compute is no longer billed. */
  stop: orgProcedure('member')
    .input(runStateInput)
    .mutation(({ ctx, input }) => stopDeployment(ctx.db, ctx.actor, input, customer(ctx.config))),
  start: orgProcedure('member')
    .input(runStateInput)
    .mutation(({ ctx, input }) => startDeployment(ctx.db, ctx.actor, input, customer(ctx.config))),
  retry: orgProcedure('member')
    .input(byId)
    .mutation(({ ctx, input }) => retryDeployment(ctx.db, ctx.actor, input, customer(ctx.config))),
});
