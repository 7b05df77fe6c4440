/**
 * The one schema file. Column names are snake_case in SQL (drizzle `casing: 'snake_case'`), camelCase here.
 * Every org-owned table carries `orgId`; services always filter on it.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

/**
 * A weekly maintenance window: on each of `days` (0 = Sunday … 6 = Saturday), from `start` (HH:MM, wall-clock
 * time in `timeZone`, an IANA name) for `durationMinutes` of elapsed time.
 */
export type MaintenanceWindow = { days: number[]; start: string; durationMinutes: number; timeZone: string };

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

// ───────────────────────────── identity and tenancy ─────────────────────────────

export const staffRole = pgEnum('staff_role', ['none', 'support', 'admin']);
export const orgRole = pgEnum('org_role', ['owner', 'admin', 'member', 'viewer']);
export const orgStatus = pgEnum('org_status', ['active', 'suspended']);

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Always stored lower-cased and trimmed; see `normalizeEmail`. */
    email: text().notNull(),
    name: text().notNull().default(''),
    /** argon2id PHC string; null for users who only ever signed in with OAuth. */
    passwordHash: text(),
    staffRole: staffRole().notNull().default('none'),
    /**
     * Sessions carry the version they were issued at; bumping it ("sign out everywhere", a password change) ends
     * every session of the user on its next request.
     */
    sessionVersion: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
);

export const organizations = pgTable(
  'organizations',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    slug: text().notNull(),
    status: orgStatus().notNull().default('active'),
    suspendedReason: text(),
    /** BYOC: the customer's cloud account Plinth assumes a role in (e.g. an AWS role ARN). */
    cloudAccountRef: text(),
    stripeCustomerId: text(),
    stripeSubscriptionId: text(),
    /** Mirrors Stripe's subscription state (re-fetched on every webhook): none | active | past_due | canceled. */
    paymentStatus: text().notNull().default('none'),
    pastDueSince: timestamp({ withTimezone: true }),
    /** The one currency this organization is billed and credited in. */
    billingCurrency: text().notNull().default('usd'),
    /** Until when staff let this org run paid plans without a payment method on file (a trial); null: no trial. */
    paidTrialUntil: timestamp({ withTimezone: true }),
    /** When rollouts may upgrade this org's deployments; null: any time. See lib/windows.ts. */
    maintenanceWindow: jsonb().$type<MaintenanceWindow>(),
    /**
     * The owner asked to delete the organization (server/offboarding/): from then on nothing in it may change, and
     * the offboarding job removes its deployments, writes the final invoice and closes it.
     */
    deletionRequestedAt: timestamp({ withTimezone: true }),
    /** Closed by its offboarding: members no longer see it, its keys are revoked; the rows stay for staff and accounting. */
    closedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organizations_slug_key').on(t.slug)],
);

/** Where an organization's offboarding is; `step` moves forward only. See server/offboarding/job.ts. */
export type OffboardingStep = 'deployments' | 'invoice' | 'close' | 'receipt' | 'done';

/** The receipt the owner gets: what was removed and when. Built up by the job, step by step. */
export type OffboardingEvidence = {
  organization?: { id: string; name: string; slug: string };
  requestedBy?: { id: string | null; email: string | null };
  requestedAt?: string;
  deployments?: Array<{ id: string; name: string; plan: string; region: string; appRemovedAt: string | null; infraRemovedAt: string | null; deletedAt: string | null }>;
  /** Checked once they were all deleted: finalizers still held, plus live resources in the sandbox engine (0: nothing left). */
  leftInEngines?: number;
  invoice?: { id: string; number: string; periodStart: string; periodEnd: string; subtotalCents: number; creditsAppliedCents: number; totalCents: number; currency: string; status: string };
  subscriptionCancelled?: boolean;
  apiKeysRevoked?: number;
  invitationsRevoked?: number;
  webhooksDisabled?: number;
  closedAt?: string;
  completedAt?: string;
};

/**
 * One per organization, ever: the owner's request to delete it, and the durable state of the job that carries it
 * out (deployments removed → final invoice → closed → receipt). Every step records when it finished, so a job
 * that was killed resumes at the first unfinished step.
 */
export const orgOffboardings = pgTable(
  'org_offboardings',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    requestedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    step: text().$type<OffboardingStep>().notNull().default('deployments'),
    /** Every live deployment was marked for deletion (one transaction, with the list in `evidence`). */
    deploymentsMarkedAt: timestamp({ withTimezone: true }),
    /** Every one of them is deleted: app, then infrastructure, removed by the reconciler. */
    deploymentsDoneAt: timestamp({ withTimezone: true }),
    invoiceId: uuid().references((): AnyPgColumn => invoices.id),
    invoicedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    receiptSentAt: timestamp({ withTimezone: true }),
    completedAt: timestamp({ withTimezone: true }),
    /** Failures of the current step (reset when a step finishes), and when it is tried again. */
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    evidence: jsonb().$type<OffboardingEvidence>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [uniqueIndex('org_offboardings_org_key').on(t.orgId), index('org_offboardings_open_idx').on(t.nextAttemptAt).where(sql`${t.completedAt} is null`)],
);

export const memberships = pgTable(
  'memberships',
  {
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: orgRole().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('memberships_org_user_key').on(t.orgId, t.userId), index('memberships_user_idx').on(t.userId)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** When set, only this address may accept. */
    email: text(),
    role: orgRole().notNull(),
    /** sha256 of the token in the link; the token itself is shown once and never stored. */
    tokenHash: text().notNull(),
    invitedBy: uuid()
      .notNull()
      .references(() => users.id),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedBy: uuid().references(() => users.id),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invitations_token_hash_key').on(t.tokenHash), index('invitations_org_idx').on(t.orgId)],
);

/** Fixed-window counters shared by every web process (sign-in and sign-up throttling). */
/** Sessions ended by signing out: their id is refused until the session would have expired anyway. */
export const revokedSessions = pgTable('revoked_sessions', {
  id: text().primaryKey(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
});

export const rateLimits = pgTable('rate_limits', {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull(),
});

/** Append-only record of who changed what, written in the same transaction as the change. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
    orgId: uuid().references(() => organizations.id, { onDelete: 'set null' }),
    action: text().notNull(),
    target: text(),
    before: jsonb(),
    after: jsonb(),
    reason: text(),
    /** Set when the change came through an API key (the key acts for the member who created it, `actorId`). */
    apiKeyId: uuid().references((): AnyPgColumn => apiKeys.id, { onDelete: 'set null' }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_org_at_idx').on(t.orgId, t.at)],
);

/** The roles an API key may carry: never owner (keys cannot transfer ownership or delete the org). */
export const apiKeyRole = pgEnum('api_key_role', ['admin', 'member', 'viewer']);

/**
 * Org API keys. The secret (`plk_<prefix>_<secret>`) is shown once; only its sha256 is kept (the secret is 32
 * random bytes, so a fast hash is enough: there is nothing to brute-force). A key acts for the member who made
 * it, with the lower of its own role and theirs, and stops working when they leave the org.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    /** The public part of the key, shown in lists so people recognise it; unique, it finds the row. */
    prefix: text().notNull(),
    secretHash: text().notNull(),
    role: apiKeyRole().notNull(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    lastUsedIp: text(),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_keys_prefix_key').on(t.prefix), index('api_keys_org_idx').on(t.orgId, t.createdAt)],
);

/**
 * REST `Idempotency-Key`s: the first answer to a POST is stored and replayed for the same key and body; the same
 * key with another body is refused. Scoped to the API key that sent it (so no other caller can collide with, or
 * read, a stored answer) and replaced after a day.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    apiKeyId: uuid()
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    /** sha256 of method, path and body: the same key on another request is a client bug, refused with 422. */
    requestHash: text().notNull(),
    status: integer().notNull(),
    body: jsonb().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] })],
);

/**
 * Domain events (server/events/): written by emitEvent in the transaction that makes them true, read by the
 * webhook and notification dispatchers. Append-only.
 */
export const events = pgTable(
  'events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    type: text().notNull(),
    deploymentId: uuid(),
    data: jsonb().notNull().default(sql`'{}'::jsonb`),
    /** Set once the webhook job has fanned the event out to the org's endpoints. */
    dispatchedAt: timestamp({ withTimezone: true }),
    /** Set once the mail job has queued the notification mail the event calls for (if any). */
    mailedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('events_org_idx').on(t.orgId, t.id), index('events_undispatched_idx').on(t.id).where(sql`${t.dispatchedAt} is null`)],
);

// ───────────────────────────── catalog ─────────────────────────────

export const isolationTier = pgEnum('isolation_tier', ['shared', 'dedicated', 'byoc']);
/** preview → available → deprecated → retired; a retired version cannot be chosen for a new deployment. */
export const versionStatus = pgEnum('version_status', ['preview', 'available', 'deprecated', 'retired']);
export const versionSeverity = pgEnum('version_severity', ['regular', 'security', 'critical']);

export const products = pgTable(
  'products',
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull(),
    name: text().notNull(),
    tagline: text().notNull().default(''),
    description: text().notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('products_slug_key').on(t.slug)],
);

export const productVersions = pgTable(
  'product_versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    productId: uuid()
      .notNull()
      .references(() => products.id),
    version: text().notNull(),
    moduleRef: text().notNull(),
    chartVersion: text().notNull(),
    status: versionStatus().notNull().default('available'),
    severity: versionSeverity().notNull().default('regular'),
    /** Release notes, shown to customers with a scheduled upgrade. */
    notes: text().notNull().default(''),
    releasedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('product_versions_product_version_key').on(t.productId, t.version)],
);

/**
 * The upgrades a deployment may make in place, explicitly (from → to): an upgrade without a row here (skipping a
 * version that migrates data, say) is refused with the path that exists.
 */
export const upgradePaths = pgTable(
  'upgrade_paths',
  {
    productId: uuid()
      .notNull()
      .references(() => products.id),
    fromVersion: text().notNull(),
    toVersion: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.fromVersion, t.toVersion] })],
);

/** What a plan allows. Kept as JSON so a vendor can describe another product without a migration. */
export type PlanLimits = {
  maxDeployments: number | null;
  memoryMb: number;
  storageGb: number;
  replicas: number;
  persistence: boolean;
  maxConnections: number;
};

export const plans = pgTable(
  'plans',
  {
    id: uuid().primaryKey().defaultRandom(),
    productId: uuid()
      .notNull()
      .references(() => products.id),
    slug: text().notNull(),
    name: text().notNull(),
    summary: text().notNull().default(''),
    tier: isolationTier().notNull(),
    monthlyPriceCents: integer().notNull(),
    /** Price of one deployment-hour, in hundredths of a cent, so small hourly rates stay exact integers. */
    hourlyRateCentiCents: integer().notNull(),
    limits: jsonb().$type<PlanLimits>().notNull(),
    features: jsonb().$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    sortOrder: integer().notNull(),
    /** What a resync does about drift: re-apply (`heal`) or keep the condition for staff (`notify`); null = by tier. */
    driftPolicy: text().$type<'heal' | 'notify'>(),
    /** Daily snapshots are taken and each is kept this many days; 0: the plan includes no snapshots. */
    snapshotRetentionDays: integer().notNull().default(0),
  },
  (t) => [uniqueIndex('plans_product_slug_key').on(t.productId, t.slug)],
);

export const regions = pgTable('regions', {
  id: text().primaryKey(),
  name: text().notNull(),
  available: boolean().notNull().default(true),
  sortOrder: integer().notNull(),
});

// ───────────────────────────── deployments and the reconciler ─────────────────────────────

export const deploymentPhase = pgEnum('deployment_phase', [
  'pending',
  'provisioning',
  'ready',
  'updating',
  'deleting',
  'deleted',
  'failed',
  'stopped',
]);
export const operationKind = pgEnum('operation_kind', ['create', 'update', 'upgrade', 'delete', 'retry', 'stop', 'start']);
export const operationStatus = pgEnum('operation_status', ['pending', 'running', 'succeeded', 'failed', 'superseded']);
export const eventLevel = pgEnum('event_level', ['info', 'warning', 'error']);

/** The desired state of a deployment, everything the engines need to converge it. */
export type DeploymentSpec = {
  plan: string;
  version: string;
  region: string;
  memoryMb: number;
  replicas: number;
  persistence: boolean;
  config: { maxmemoryPolicy: string; timeoutSeconds: number };
  /** Stopped: the app is scaled to zero, the infrastructure and data are kept. Absent means running. */
  state?: 'running' | 'stopped';
};

/** A condition holds for `observedGeneration` (older rows have it only in `reason`, as "generation N"). */
export type Condition = {
  type: 'InfraReady' | 'AppSynced' | 'AppHealthy' | 'Drifted' | 'Degraded';
  status: boolean;
  reason?: string;
  observedGeneration?: number;
  at: string;
  /** Drifted: what changed (resource, attribute, before → after); Degraded: what the health signal said. */
  message?: string;
  /** Degraded: when the deployment was first seen unhealthy, and how many recovery actions were taken since. */
  since?: string;
  recoveries?: number;
};
export type DeploymentOutputs = { host: string; port: number; tls: boolean };

export const deployments = pgTable(
  'deployments',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    name: text().notNull(),
    planId: uuid()
      .notNull()
      .references(() => plans.id),
    spec: jsonb().$type<DeploymentSpec>().notNull(),
    /** Bumped by every accepted change of the spec; the reconciler converges to the latest. */
    generation: integer().notNull().default(1),
    observedGeneration: integer().notNull().default(0),
    observedSpec: jsonb().$type<DeploymentSpec>(),
    phase: deploymentPhase().notNull().default('pending'),
    conditions: jsonb().$type<Condition[]>().notNull().default(sql`'[]'::jsonb`),
    outputs: jsonb().$type<DeploymentOutputs>(),
    /** AES-256-GCM, see server/crypto.ts. */
    secretsEnc: text(),
    /** What still exists in the engines ('infra', 'app'); cleared in reverse order on delete. */
    finalizers: jsonb().$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    infraEngine: text().notNull(),
    deliveryEngine: text().notNull(),
    deletionRequestedAt: timestamp({ withTimezone: true }),
    deletedAt: timestamp({ withTimezone: true }),
    leaseOwner: text(),
    leaseExpiresAt: timestamp({ withTimezone: true }),
    /** Null when converged; otherwise when a worker should next look at it. */
    nextReconcileAt: timestamp({ withTimezone: true }),
    /** Passes claimed since the last success or progress (counted at claim time); drives the backoff. */
    attempts: integer().notNull().default(0),
    /** Passes claimed since the last recorded outcome: a pass that kills its worker every time shows up here. */
    unfinishedPasses: integer().notNull().default(0),
    /**
     * Bumped by every Retry now / staff force. A pass that was already running when one arrived compares it at its
     * release: its own failure must not overwrite the retry's clean slate (store.ts, `same`).
     */
    requeues: integer().notNull().default(0),
    lastError: text(),
    /** Overrides the org's maintenance window for this deployment; null: the org's. */
    /** Made from this snapshot (restore into a new deployment): the infrastructure engine seeds it from there. */
    restoredFromSnapshotId: uuid(),
    maintenanceWindow: jsonb().$type<MaintenanceWindow>(),
    /**
     * What the infrastructure engine says this deployment's infrastructure costs per hour, in hundredths of a cent
     * (the sandbox from what it holds, Terraform from the module's optional `hourly_cost_cents` output); null when
     * the engine does not say, and the cost model (cost_rates) applies. See server/billing/cost.ts.
     */
    infraHourlyCostCentiCents: integer(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('deployments_org_name_live_key').on(t.orgId, t.name).where(sql`${t.deletedAt} is null`),
    index('deployments_org_idx').on(t.orgId, t.createdAt),
    index('deployments_due_idx').on(t.nextReconcileAt).where(sql`${t.nextReconcileAt} is not null`),
    // The reconciler health page (reconciler/health.ts, polled every 5 s): leases by worker, the failed list and
    // the deployments touched in the last hour, each read through its own index instead of a scan.
    index('deployments_leased_idx').on(t.leaseOwner, t.leaseExpiresAt).where(sql`${t.leaseOwner} is not null and ${t.deletedAt} is null`),
    index('deployments_failed_idx').on(t.updatedAt).where(sql`${t.phase} = 'failed' and ${t.deletedAt} is null`),
    // The reconciler health page's phase breakdown, counted from the index alone (server/reconciler/health.ts).
    index('deployments_live_phase_idx').on(t.phase).where(sql`${t.deletedAt} is null`),
    index('deployments_updated_idx').on(t.updatedAt),
  ],
);

export const operations = pgTable(
  'operations',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id),
    kind: operationKind().notNull(),
    requestedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    idempotencyKey: text(),
    generation: integer().notNull(),
    status: operationStatus().notNull().default('pending'),
    summary: text().notNull(),
    error: text(),
    createdAt: createdAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('operations_org_idempotency_key').on(t.orgId, t.idempotencyKey),
    index('operations_deployment_idx').on(t.deploymentId, t.createdAt),
  ],
);

/**
 * One row per reconciler worker process, written on every heartbeat (idle or busy) and stamped when it stops
 * cleanly, so the health page tells a live idle worker (seen recently, no lease) from a dead one (silent for
 * several beats, never stopped).
 */
export const workerHeartbeats = pgTable('worker_heartbeats', {
  workerId: text().primaryKey(),
  startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  /** How often this worker beats: silent for three of these (and not stopped) reads as dead. */
  beatEveryMs: integer().notNull(),
  passes: integer().notNull().default(0),
  stoppedAt: timestamp({ withTimezone: true }),
});

export const deploymentEvents = pgTable(
  'deployment_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id),
    orgId: uuid().notNull(),
    generation: integer().notNull(),
    step: text().notNull(),
    level: eventLevel().notNull().default('info'),
    message: text().notNull(),
    durationMs: integer(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('deployment_events_deployment_idx').on(t.deploymentId, t.id)],
);

/**
 * The sandbox engines' simulated cloud: every resource they create, and when it was destroyed. Kept in the
 * database so all worker processes share one cloud, and tests can prove nothing is orphaned or created twice.
 */
export const sandboxResources = pgTable(
  'sandbox_resources',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    deploymentId: uuid().notNull(),
    kind: text().notNull(),
    spec: jsonb().notNull(),
    secret: text(),
    revision: integer().notNull().default(1),
    /** The deployment generation this resource was last written for; an older one never overwrites it. */
    generation: integer().notNull().default(1),
    readyAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * A fault injected into the simulated app (tests, the staff console's sandbox tools): `unhealthy` (a restart
     * cures it), `stuck` (unhealthy whatever is done), `unreachable` (healthy to the engine, the endpoint probe fails).
     */
    injectedFault: text().$type<'unhealthy' | 'stuck' | 'unreachable'>(),
    createdAt: createdAt(),
    destroyedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('sandbox_resources_deployment_idx').on(t.deploymentId, t.kind),
    // One live resource per deployment and kind: the sandbox's creates are idempotent (insert … on conflict).
    uniqueIndex('sandbox_resources_live_key').on(t.deploymentId, t.kind).where(sql`${t.destroyedAt} is null`),
  ],
);

// ───────────────────────────── snapshots ─────────────────────────────

export type SnapshotKind = 'scheduled' | 'manual' | 'final';
export type SnapshotStatus = 'pending' | 'available' | 'failed' | 'deleted';

/**
 * A point-in-time copy of a deployment's data, taken by the infrastructure engine (server/snapshots/). Scheduled
 * and manual ones are taken by the snapshot job; a `final` one by the reconciler before it deletes the deployment
 * (a finalizer), so it is never taken of removed infrastructure. Kept until `expires_at`, then deleted in the
 * engine and marked `deleted`; the row stays as the record.
 */
export const snapshots = pgTable(
  'snapshots',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id),
    kind: text().$type<SnapshotKind>().notNull(),
    status: text().$type<SnapshotStatus>().notNull().default('pending'),
    /** What the deployment was when the snapshot was asked for: a restore makes a deployment like it. */
    spec: jsonb().$type<DeploymentSpec>().notNull(),
    sizeBytes: bigint({ mode: 'number' }),
    requestedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    completedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    deletedAt: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    error: text(),
  },
  (t) => [
    index('snapshots_deployment_idx').on(t.deploymentId, t.createdAt),
    // One snapshot in the making per deployment: a second "Take snapshot" is refused, not queued.
    uniqueIndex('snapshots_one_pending_key').on(t.deploymentId).where(sql`${t.status} = 'pending'`),
    index('snapshots_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('snapshots_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'available'`),
  ],
);

// ───────────────────────────── fleet rollouts ─────────────────────────────

export const rolloutStatus = pgEnum('rollout_status', ['running', 'paused', 'cancelling', 'cancelled', 'completed']);
export const rolloutItemStatus = pgEnum('rollout_item_status', ['scheduled', 'waiting', 'upgrading', 'done', 'failed', 'skipped']);

/** Which deployments a rollout takes: every filter given must match (none: all eligible). */
export type RolloutSelector = { versions?: string[]; plans?: string[]; regions?: string[]; orgIds?: string[] };

/**
 * One version shipped to many deployments in waves (server/services/fleet/). The scheduler
 * (server/fleet/scheduler.ts) writes ordinary spec changes for its items; the reconciler does the upgrades.
 */
export const rollouts = pgTable(
  'rollouts',
  {
    id: uuid().primaryKey().defaultRandom(),
    productId: uuid()
      .notNull()
      .references(() => products.id),
    targetVersion: text().notNull(),
    severity: versionSeverity().notNull(),
    selector: jsonb().$type<RolloutSelector>().notNull(),
    status: rolloutStatus().notNull().default('running'),
    /** Why it is paused (a failed canary, an exhausted failure budget, an admin). */
    pausedReason: text(),
    /** No upgrade before this (creation + notice period), except one a customer asks for. */
    startsAt: timestamp({ withTimezone: true }).notNull(),
    /** Security/critical: deployments whose window has not come by then are upgraded at the deadline. */
    deadline: timestamp({ withTimezone: true }),
    /** How often a customer may defer this rollout for one deployment (0 for security/critical). */
    maxDefers: integer().notNull().default(0),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('rollouts_status_idx').on(t.status)],
);

export const rolloutWaves = pgTable(
  'rollout_waves',
  {
    rolloutId: uuid()
      .notNull()
      .references(() => rollouts.id, { onDelete: 'cascade' }),
    /** 0 is the canary. */
    index: integer().notNull(),
    name: text().notNull(),
    size: integer().notNull(),
    maxConcurrency: integer().notNull(),
    /** Pause the rollout when more than this share of the wave (percent) has failed; the canary's is 0. */
    failureBudgetPct: doublePrecision().notNull(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.rolloutId, t.index] })],
);

export const rolloutItems = pgTable(
  'rollout_items',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    rolloutId: uuid()
      .notNull()
      .references(() => rollouts.id, { onDelete: 'cascade' }),
    wave: integer().notNull(),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id),
    orgId: uuid().notNull(),
    fromVersion: text().notNull(),
    status: rolloutItemStatus().notNull().default('scheduled'),
    /** Not before this (a customer's defer moves it to a later window). */
    notBefore: timestamp({ withTimezone: true }),
    defers: integer().notNull().default(0),
    /** A customer asked for the upgrade now: no window, no wave order. */
    upgradeNow: boolean().notNull().default(false),
    /** The generation the rollout's spec change got; done when the deployment has observed it (or a later one). */
    generation: integer(),
    /** Why it failed, or was skipped. */
    reason: text(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('rollout_items_rollout_deployment_key').on(t.rolloutId, t.deploymentId),
    index('rollout_items_rollout_wave_status_idx').on(t.rolloutId, t.wave, t.status),
    index('rollout_items_deployment_idx').on(t.deploymentId),
  ],
);

/** Singleton jobs that must run in one worker at a time take a lease here (the rollout scheduler). */
export const jobLeases = pgTable('job_leases', {
  name: text().primaryKey(),
  owner: text().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
});

/**
 * GitOps folder edits waiting for a commit (server/reconciler/engines/gitops-group.ts). Workers on one Postgres
 * server queue their edits here; whichever holds the repository's turn commits every queued edit in one commit
 * and writes each row's `result`, which its own worker then reads and deletes.
 */
export const gitopsEdits = pgTable(
  'gitops_edits',
  {
    seq: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    repo: text().notNull(),
    deployment: text().notNull(),
    /** `{ files }` or `{ remove: true }`, as FolderEdit. */
    edit: jsonb().$type<{ files: Record<string, string> } | { remove: true }>().notNull(),
    generation: integer(),
    message: text().notNull(),
    /** Null until a commit took it in: `{ commit, changed, newer? }`. */
    result: jsonb().$type<{ commit: string | null; changed: boolean; newer?: number }>(),
    createdAt: createdAt(),
  },
  (t) => [index('gitops_edits_queued_idx').on(t.repo, t.seq).where(sql`${t.result} is null`)],
);

// ───────────────────────────── billing ─────────────────────────────

/**
 * When a deployment starts or stops being billable, and at what rates. Written by the reconciler in the same
 * statement as the phase change; metering turns these segments into hourly usage.
 */
export const billingSegments = pgTable(
  'billing_segments',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    deploymentId: uuid().notNull(),
    orgId: uuid().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    billable: boolean().notNull(),
    planSlug: text(),
    hourlyRateCentiCents: integer().notNull().default(0),
    storageGb: integer().notNull().default(0),
    /** False while the deployment is stopped: no deployment hours, storage still billed. */
    compute: boolean().notNull().default(true),
    /**
     * What the deployment holds from `at` on, for cost (server/billing/cost.ts): 'running', 'held' (failed or being
     * deleted: it still holds its infrastructure), 'stopped' (keeps only its storage), 'deleted'. Null on rows that
     * predate it: billable means running, not billable means held.
     */
    state: text(),
  },
  (t) => [index('billing_segments_deployment_at_idx').on(t.deploymentId, t.at), index('billing_segments_org_at_idx').on(t.orgId, t.at)],
);

/** Hourly usage per deployment and meter. Recomputed until the hour closes (`final`), then pushed to Stripe. */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    idempotencyKey: text().notNull(),
    orgId: uuid().notNull(),
    deploymentId: uuid().notNull(),
    meter: text().notNull(),
    planSlug: text().notNull(),
    hourStart: timestamp({ withTimezone: true }).notNull(),
    quantity: doublePrecision().notNull(),
    amountCentiCents: bigint({ mode: 'number' }).notNull(),
    final: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('usage_events_idempotency_key').on(t.idempotencyKey),
    index('usage_events_org_hour_idx').on(t.orgId, t.hourStart),
    // The billing jobs read the recent window across all orgs every tick (roll-ups, Stripe meter events).
    index('usage_events_hour_idx').on(t.hourStart),
  ],
);

/** Roll-ups of usage_events kept by the metering job, so charts over a year read hundreds of rows, not millions. */
export const usageOrgHourly = pgTable(
  'usage_org_hourly',
  {
    orgId: uuid().notNull(),
    meter: text().notNull(),
    hourStart: timestamp({ withTimezone: true }).notNull(),
    quantity: doublePrecision().notNull(),
    amountCentiCents: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.meter, t.hourStart] })],
);

export const usageDeploymentDaily = pgTable(
  'usage_deployment_daily',
  {
    orgId: uuid().notNull(),
    deploymentId: uuid().notNull(),
    meter: text().notNull(),
    day: date({ mode: 'string' }).notNull(),
    quantity: doublePrecision().notNull(),
    amountCentiCents: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.meter, t.day] }), index('usage_deployment_daily_org_day_idx').on(t.orgId, t.day)],
);

/** Append-only credit ledger: grants (+), amounts applied to invoices (−), expiries (−). */
export const creditEntries = pgTable(
  'credit_entries',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    kind: text().notNull(),
    amountCents: integer().notNull(),
    currency: text().notNull().default('usd'),
    reason: text().notNull(),
    actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
    grantId: uuid(),
    invoiceId: uuid(),
    expiresAt: timestamp({ withTimezone: true }),
    stripeRef: text(),
    createdAt: createdAt(),
  },
  // By day across tenants: the running totals of unit economics (server/economics/rollups.ts).
  (t) => [index('credit_entries_org_idx').on(t.orgId, t.createdAt), index('credit_entries_created_idx').on(t.createdAt)],
);

export type InvoiceLine = { description: string; quantity: number; unit: string; amountCents: number; kind: 'plan' | 'usage' | 'credit' };

export const invoices = pgTable(
  'invoices',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    periodStart: timestamp({ withTimezone: true }).notNull(),
    periodEnd: timestamp({ withTimezone: true }).notNull(),
    status: text().notNull(),
    currency: text().notNull().default('usd'),
    subtotalCents: integer().notNull(),
    creditsAppliedCents: integer().notNull().default(0),
    totalCents: integer().notNull(),
    lines: jsonb().$type<InvoiceLine[]>().notNull(),
    stripeInvoiceId: text(),
    createdAt: createdAt(),
    paidAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('invoices_org_period_key').on(t.orgId, t.periodStart), uniqueIndex('invoices_stripe_id_key').on(t.stripeInvoiceId)],
);

/** Stripe webhook event ids already processed: a redelivery is recognised and ignored. */
export const stripeEvents = pgTable('stripe_events', {
  id: text().primaryKey(),
  type: text().notNull(),
  orgId: uuid(),
  receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Calls to Stripe, written in the transaction that decides them and delivered (with retries) afterwards. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text().notNull(),
    orgId: uuid(),
    payload: jsonb().notNull(),
    idempotencyKey: text().notNull(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    doneAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('outbox_idempotency_key').on(t.idempotencyKey), index('outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.doneAt} is null`)],
);

// ───────────────────────────── outbound webhooks ─────────────────────────────

/** Where an org wants its events POSTed (server/webhooks/). The signing secret is sealed like deployment secrets. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    url: text().notNull(),
    events: jsonb().$type<string[]>().notNull(),
    description: text().notNull().default(''),
    /** AES-256-GCM of the `whsec_…` secret (server/crypto.ts): needed in clear to sign, so not hashed. */
    secretEnc: text().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Set when the organization closed, after its last event (`organization.deleted`) was fanned out: no more events. */
    disabledAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_endpoints_org_idx').on(t.orgId)],
);

/**
 * One event (or test ping) to one endpoint, delivered by the webhook job: claimed under a lease
 * (`nextAttemptAt` pushed past the attempt's timeout, SKIP LOCKED), retried with backoff until `maxAttempts`.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: bigint({ mode: 'number' }),
    type: text().notNull(),
    payload: jsonb().notNull(),
    /** pending | succeeded | failed */
    status: text().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    responseStatus: integer(),
    latencyMs: integer(),
    lastError: text(),
    createdAt: createdAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
  ],
);

/** Every attempt of a delivery: the delivery log the console shows (status code, latency, error). */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: uuid()
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    responseStatus: integer(),
    latencyMs: integer().notNull(),
    error: text(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.id)],
);

// ───────────────────────────── mail ─────────────────────────────

/**
 * Every mail Plinth sends, queued in the transaction that decides it (server/mail/). With SMTP_URL the mail job
 * sends and marks them; without it they stay here, and staff read them in the internal console (embedded mode).
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid().primaryKey().defaultRandom(),
    to: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    /** invitation | password_reset | deployment_failed | upgrade_scheduled | invoice_issued | org_deleted */
    kind: text().notNull(),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('mail_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.sentAt} is null`), index('mail_outbox_created_idx').on(t.createdAt)],
);

/** Forgot-password tokens: sha256 only, single use, short-lived. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('password_resets_token_hash_key').on(t.tokenHash), index('password_resets_user_idx').on(t.userId)],
);

/** Notification mail a person turned off (a row with enabled = false); everything is on by default. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text().notNull(),
    enabled: boolean().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);
// ───────────────────────────── unit economics ─────────────────────────────

/**
 * The cost model: what one deployment of a plan costs the vendor per hour in a region, from `effectiveFrom` until
 * the next row for the same plan and region. Append-only (a change is a new row, written by a staff admin with an
 * audit entry), so the cost of an hour already metered never changes. Amounts in hundredths of a cent, like rates.
 */
export const costRates = pgTable(
  'cost_rates',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    planSlug: text().notNull(),
    region: text().notNull(),
    effectiveFrom: timestamp({ withTimezone: true }).notNull(),
    computeCentiCentsPerHour: integer().notNull(),
    storageCentiCentsPerGbHour: integer().notNull(),
    /** Shared tier only: this deployment's share of the shared cluster (its namespace's slice). */
    sharedClusterCentiCentsPerHour: integer().notNull().default(0),
    /** The control plane's own cost per deployment; the only cost of a BYOC deployment. */
    overheadCentiCentsPerHour: integer().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    reason: text().notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('cost_rates_plan_region_from_key').on(t.planSlug, t.region, t.effectiveFrom)],
);

/** Hourly cost per deployment and plan, metered from billing_segments like usage_events; `final` once the hour is over. */
export const costEvents = pgTable(
  'cost_events',
  {
    deploymentId: uuid().notNull(),
    orgId: uuid().notNull(),
    planSlug: text().notNull(),
    region: text().notNull(),
    hourStart: timestamp({ withTimezone: true }).notNull(),
    hours: doublePrecision().notNull(),
    amountCentiCents: bigint({ mode: 'number' }).notNull(),
    final: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.deploymentId, t.planSlug, t.hourStart] }),
    index('cost_events_hour_idx').on(t.hourStart),
    // The tenant page's cost per deployment (namespace) over a period.
    index('cost_events_org_hour_idx').on(t.orgId, t.hourStart),
  ],
);

/**
 * Per tenant, day, plan and region: cost and accrued revenue (plan fees prorated + usage), kept by the cost
 * metering job. The margin page reads whole months from economics_monthly and the edges from here.
 */
export const economicsDaily = pgTable(
  'economics_daily',
  {
    orgId: uuid().notNull(),
    day: date({ mode: 'string' }).notNull(),
    planSlug: text().notNull(),
    region: text().notNull(),
    costCentiCents: bigint({ mode: 'number' }).notNull().default(0),
    revenueCentiCents: bigint({ mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.planSlug, t.region] }), index('economics_daily_day_idx').on(t.day)],
);

export const economicsMonthly = pgTable(
  'economics_monthly',
  {
    orgId: uuid().notNull(),
    month: date({ mode: 'string' }).notNull(),
    planSlug: text().notNull(),
    region: text().notNull(),
    costCentiCents: bigint({ mode: 'number' }).notNull().default(0),
    revenueCentiCents: bigint({ mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.month, t.planSlug, t.region] }), index('economics_monthly_month_idx').on(t.month)],
);

/**
 * Running totals per tenant, one row per tenant and day from its first activity on (zero days included), so any
 * period's figures are two rows per tenant apart: the Unit economics page reads 2–3 × tenants rows whatever the
 * period's length. Cost and revenue in hundredths of a cent; credits in cents of the tenant's currency.
 */
export const economicsTenantDays = pgTable(
  'economics_tenant_days',
  {
    day: date({ mode: 'string' }).notNull(),
    orgId: uuid().notNull(),
    costCum: bigint({ mode: 'number' }).notNull(),
    revenueCum: bigint({ mode: 'number' }).notNull(),
    creditsGrantedCum: bigint({ mode: 'number' }).notNull(),
    creditsConsumedCum: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.orgId] })],
);

/** Per tenant: revenue before this day is invoiced (the end of its last invoiced month), kept by cost metering. */
export const economicsTenants = pgTable('economics_tenants', {
  orgId: uuid().primaryKey(),
  invoicedThrough: date({ mode: 'string' }),
});

/** Cost and revenue per day, plan and region across all tenants: the page's by-plan and by-region breakdowns. */
export const economicsPlanRegionDaily = pgTable(
  'economics_plan_region_daily',
  {
    day: date({ mode: 'string' }).notNull(),
    planSlug: text().notNull(),
    region: text().notNull(),
    costCentiCents: bigint({ mode: 'number' }).notNull(),
    revenueCentiCents: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.planSlug, t.region] })],
);

/** Whether each tenant's month-to-date margin was negative at the last check, so the event fires on the turn only. */
export const marginStates = pgTable('margin_states', {
  orgId: uuid().primaryKey(),
  negative: boolean().notNull(),
  changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

// ───────────────────────────── types ─────────────────────────────

export type Deployment = typeof deployments.$inferSelect;
export type Operation = typeof operations.$inferSelect;
export type DeploymentPhase = (typeof deploymentPhase.enumValues)[number];
export type User = typeof users.$inferSelect;
export type CreditEntry = typeof creditEntries.$inferSelect;
export type Invoice = typeof invoices.$inferSelect;
export type OrgOffboarding = typeof orgOffboardings.$inferSelect;
export type UsageEvent = typeof usageEvents.$inferSelect;
export type Organization = typeof organizations.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type Plan = typeof plans.$inferSelect;
export type CostRate = typeof costRates.$inferSelect;
export type Product = typeof products.$inferSelect;
export type ProductVersion = typeof productVersions.$inferSelect;
export type Rollout = typeof rollouts.$inferSelect;
export type RolloutWave = typeof rolloutWaves.$inferSelect;
export type RolloutItem = typeof rolloutItems.$inferSelect;
export type VersionStatus = (typeof versionStatus.enumValues)[number];
export type VersionSeverity = (typeof versionSeverity.enumValues)[number];
export type OrgRole = (typeof orgRole.enumValues)[number];
export type ApiKeyRole = (typeof apiKeyRole.enumValues)[number];
export type ApiKey = typeof apiKeys.$inferSelect;
export type StaffRole = (typeof staffRole.enumValues)[number];
