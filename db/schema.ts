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
} from 'drizzle-orm/pg-core';

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
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organizations_slug_key').on(t.slug)],
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
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_org_at_idx').on(t.orgId, t.at)],
);

// ───────────────────────────── catalog ─────────────────────────────

export const isolationTier = pgEnum('isolation_tier', ['shared', 'dedicated', 'byoc']);
export const versionStatus = pgEnum('version_status', ['available', 'deprecated', 'retired']);

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
    releasedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('product_versions_product_version_key').on(t.productId, t.version)],
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
]);
export const operationKind = pgEnum('operation_kind', ['create', 'update', 'upgrade', 'delete', 'retry']);
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
};

/** A condition holds for `observedGeneration` (older rows have it only in `reason`, as "generation N"). */
export type Condition = {
  type: 'InfraReady' | 'AppSynced' | 'AppHealthy' | 'Drifted';
  status: boolean;
  reason?: string;
  observedGeneration?: number;
  at: string;
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
    lastError: text(),
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
    createdAt: createdAt(),
    destroyedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('sandbox_resources_deployment_idx').on(t.deploymentId, t.kind),
    // One live resource per deployment and kind: the sandbox's creates are idempotent (insert … on conflict).
    uniqueIndex('sandbox_resources_live_key').on(t.deploymentId, t.kind).where(sql`${t.destroyedAt} is null`),
  ],
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
export type UsageEvent = typeof usageEvents.$inferSelect;
export type Organization = typeof organizations.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type Plan = typeof plans.$inferSelect;
export type CostRate = typeof costRates.$inferSelect;
export type Product = typeof products.$inferSelect;
export type ProductVersion = typeof productVersions.$inferSelect;
export type OrgRole = (typeof orgRole.enumValues)[number];
export type StaffRole = (typeof staffRole.enumValues)[number];
