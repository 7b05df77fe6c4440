/**
 * The two engines the reconciler drives. Every method is idempotent: calling it again with the same spec is a
 * no-op, so a step repeated after a crash is safe. Sandbox, Terraform and Argo CD all implement these.
 */
import type { DeploymentOutputs, DeploymentSpec } from '~/db/schema';

export type EngineDeployment = {
  id: string;
  orgId: string;
  name: string;
  generation: number;
  spec: DeploymentSpec;
  tier: 'shared' | 'dedicated' | 'byoc';
  /** BYOC only: the customer's cloud account (role ARN) Plinth assumes; selected with the claim, never queried by engines. */
  cloudAccountRef: string | null;
  /** The Helm chart version of `spec.version`, from the catalog; null when the catalog has no such version. */
  chartVersion: string | null;
  /** Restored into a new deployment: the snapshot its data is seeded from when the infrastructure is created. */
  restoreFrom?: string | null;
};

/**
 * Aborted when this worker may no longer act for the deployment (its lease was not extended, or the process is
 * stopping). Engines stop their side effects when it fires: Terraform is interrupted cleanly, a git push is
 * abandoned, the sandbox makes no further change.
 */
export type EngineSignal = AbortSignal;

/** Progress an engine reports while it works (e.g. one line per Terraform resource). */
export type Progress = (message: string) => void | Promise<void>;

/**
 * `hourlyCostCentiCents`: what the infrastructure costs the vendor per hour while running, storage excluded (the
 * cost model prices disk per GB-hour), in hundredths of a cent, when the engine knows; see server/economics/cost.ts.
 */
export type InfraResult = { outputs: DeploymentOutputs; secrets: { password: string }; hourlyCostCentiCents?: number | null };
export type AppStatus = {
  sync: 'Synced' | 'OutOfSync';
  health: 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Unknown' | 'Missing';
  revision: string;
  /** Why it is not converging yet, when the engine knows (a sync window, a suspended workload). */
  message?: string;
};

/** What a drift check found: `summary` is readable (resource, attribute, before → after where the engine knows). */
export type DriftReport = { drift: boolean; summary: string };
/** The endpoint probe: can a client reach the deployment and talk to it. */
export type ProbeResult = { ok: boolean; message: string };

export interface InfraEngine {
  readonly name: string;
  apply(d: EngineDeployment, progress: Progress, signal?: EngineSignal): Promise<InfraResult>;
  /** Drift check, no side effects: does what exists still match what was applied for the spec? */
  plan(d: EngineDeployment, signal?: EngineSignal): Promise<DriftReport>;
  destroy(d: EngineDeployment, progress: Progress, signal?: EngineSignal): Promise<void>;
  /**
   * Takes a snapshot of the deployment's data, named by `snapshotId` (idempotent: asking again for the same id
   * makes no second copy). Engines without snapshots leave it out; the snapshot then fails saying so.
   */
  snapshot?(d: EngineDeployment, snapshotId: string, signal?: EngineSignal): Promise<{ sizeBytes: number }>;
  /** Deletes a snapshot (idempotent: one already gone is fine). */
  deleteSnapshot?(snapshotId: string, signal?: EngineSignal): Promise<void>;
}

export interface DeliveryEngine {
  readonly name: string;
  sync(d: EngineDeployment, values: Record<string, unknown>, progress: Progress, signal?: EngineSignal): Promise<void>;
  status(d: EngineDeployment, signal?: EngineSignal): Promise<AppStatus>;
  remove(d: EngineDeployment, progress: Progress, signal?: EngineSignal): Promise<'gone' | 'pending'>;
  /** Recovery action for an unhealthy app (a rollout restart); engines without one get a re-sync instead. */
  restart?(d: EngineDeployment, progress: Progress, signal?: EngineSignal): Promise<void>;
  /** Endpoint probe hook (connect and PING); engines without one are judged by their health status alone. */
  probe?(d: EngineDeployment, outputs: DeploymentOutputs, signal?: EngineSignal): Promise<ProbeResult>;
}

export type Engines = { infra: InfraEngine; delivery: DeliveryEngine };

/** Worth retrying with backoff: timeouts, rate limits, locks, 503s. */
export class TransientError extends Error {
  override name = 'TransientError';
}

/** Retrying cannot help until something changes (the spec, the quota, a fix): the deployment goes to failed. */
export class TerminalError extends Error {
  override name = 'TerminalError';
}
