/**
 * Environment, parsed once. Optional integrations parse to `null` when unset and the code branches on that;
 * nothing else in the app reads `process.env`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseTrustedProxies } from './api/client-ip';

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : null));

const schema = z.object({
  /** Unset: embedded PGlite under DATA_DIR. Set: a Postgres server through postgres.js. */
  /** Only to pick the log format: `next dev` sets development. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  DATABASE_URL: optional,
  DATA_DIR: z.string().default('.data'),
  /** `0`: do not apply migrations at start (the app runs as a role that owns nothing; see docs/database-roles.md). */
  PLINTH_MIGRATE_ON_START: z.enum(['0', '1', '']).optional(),
  AUTH_SECRET: optional,
  AUTH_GITHUB_ID: optional,
  AUTH_GITHUB_SECRET: optional,
  AUTH_GOOGLE_ID: optional,
  AUTH_GOOGLE_SECRET: optional,
  /** Whether the reconciler runs inside the web process. Defaults to on in embedded mode, off with a server. */
  PLINTH_IN_PROCESS_WORKER: z.enum(['0', '1', '']).optional(),
  /** base64 of 32 bytes; encrypts deployment secrets. Generated into DATA_DIR when unset. */
  PLINTH_SECRET_KEY: optional,
  PLINTH_INFRA_ENGINE: z.enum(['sandbox', 'terraform']).default('sandbox'),
  PLINTH_DELIVERY_ENGINE: z.enum(['sandbox', 'argocd']).default('sandbox'),
  /** Real engines (docs/real-engines.md). Terraform: `terraform` or `tofu`, on PATH or a full path. */
  TERRAFORM_BIN: z.string().trim().min(1).default('terraform'),
  /** Postgres for Terraform's pg backend; defaults to `<DATABASE_URL's database>_tfstate`. Reaches terraform only through its env. */
  PG_CONN_STR: optional,
  /** Modules, ApplicationSet and Helm values of the product (defaults to ./deploy). */
  PLINTH_DEPLOY_DIR: optional,
  /** Longest a single terraform command may run before it is interrupted (SIGINT, then SIGKILL). */
  PLINTH_TERRAFORM_TIMEOUT_S: z.coerce.number().int().min(10).default(3600),
  /** After SIGINT, how long terraform may take to stop cleanly before SIGKILL (which can lose state): long. */
  PLINTH_TERRAFORM_GRACE_S: z.coerce.number().int().min(1).default(1800),
  /** terraform's -lock-timeout: how long a run waits for another run's state lock before giving up. */
  PLINTH_TERRAFORM_LOCK_TIMEOUT_S: z.coerce.number().int().min(0).default(300),
  ARGOCD_SERVER: z.url('ARGOCD_SERVER must be a URL such as https://argocd.example.com').optional().or(z.literal('')),
  ARGOCD_TOKEN: optional,
  ARGOCD_PROJECT: z.string().trim().min(1).default('plinth-tenants'),
  /** The ApplicationSet that generates Plinth's Applications; its template's project must be ARGOCD_PROJECT. */
  ARGOCD_APPLICATIONSET: z.string().trim().min(1).default('plinth-redis'),
  /** Argo CD's name for the cluster shared-tier deployments run on. */
  ARGOCD_SHARED_CLUSTER: z.string().trim().min(1).default('in-cluster'),
  /** Any git URL; defaults to a local bare repository under DATA_DIR, created if missing. */
  GITOPS_REPO_URL: optional,
  GITOPS_BRANCH: z.string().trim().min(1).default('main'),
  /** Longest one git call (fetch, push, ...) on the GitOps repository may take before it is killed. */
  PLINTH_GIT_TIMEOUT_S: z.coerce.number().int().min(1).default(120),
  /** How often a worker re-reads a deployment's app status while waiting for it (default: 250 ms, 2 s with Argo CD). */
  PLINTH_HEALTH_POLL_MS: z.coerce.number().int().min(10).optional(),
  /** Simulated time per sandbox phase, so the console shows real progress. 0 in tests and benchmarks. */
  PLINTH_SANDBOX_LATENCY_MS: z.coerce.number().int().min(0).default(2000),
  PLINTH_SANDBOX_TRANSIENT_FAULT_RATE: z.coerce.number().min(0).max(1).default(0),
  PLINTH_SANDBOX_PERMANENT_FAULT_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Comma-separated versions the sandbox refuses to start (a bad release, to exercise rollout canaries). */
  PLINTH_SANDBOX_FAIL_VERSIONS: z.string().default(''),
  /** How often the rollout scheduler looks at running rollouts, and how long one worker holds its lease. */
  PLINTH_ROLLOUT_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  PLINTH_ROLLOUT_LEASE_MS: z.coerce.number().int().min(500).default(15_000),
  /** How often the offboarding job (deleting organizations) looks for work, and how long one worker holds its lease. */
  PLINTH_OFFBOARDING_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  PLINTH_OFFBOARDING_LEASE_MS: z.coerce.number().int().min(500).default(15_000),
  PLINTH_SNAPSHOT_INTERVAL_MS: z.coerce.number().int().min(50).default(5000),
  PLINTH_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
  PLINTH_LEASE_MS: z.coerce.number().int().min(500).default(30_000),
  /** Prometheus that scrapes the tenants' redis_exporter (server/metrics/prometheus.ts); unset: sandbox series only. */
  PROMETHEUS_URL: optional,
  /** How often every live deployment is looked at again for drift and health (default 10 min), spread by id. */
  PLINTH_RESYNC_INTERVAL: z
    .string()
    .trim()
    .default('10m')
    .transform((v, c) => {
      // A duration: "10m", "600s", "1h", or plain seconds; "0" turns continuous resync off.
      const m = /^(\d+)(s|m|h)?$/.exec(v);
      if (!m) {
        c.addIssue({ code: 'custom', message: 'a duration such as 10m, 600s or 1h' });
        return z.NEVER;
      }
      return Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's' | 'm' | 'h'] * 1000;
    }),
  /** Unhealthy for longer than this: the Degraded condition, an event and a recovery action. */
  PLINTH_DEGRADED_AFTER_S: z.coerce.number().int().min(0).default(120),
  /** Recovery actions without getting healthy after which a degraded deployment is escalated to staff. */
  PLINTH_ESCALATE_AFTER_RECOVERIES: z.coerce.number().int().min(1).default(3),
  /** On SIGTERM, how long passes in flight may finish before their engine work is cancelled. */
  PLINTH_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(20_000),
  /** Web process: after SIGTERM, seconds to keep answering (readiness failing) before stopping; the image sets 5. */
  PLINTH_SHUTDOWN_DELAY_S: z.coerce.number().min(0).max(300).default(0),
  /** How often workers meter usage, close finished months and deliver the Stripe outbox. */
  PLINTH_BILLING_INTERVAL_MS: z.coerce.number().int().min(200).default(60_000),
  /** `true`: webhook endpoints may point at private, loopback and link-local addresses (tests, on-prem). */
  PLINTH_WEBHOOKS_ALLOW_PRIVATE: z.enum(['true', 'false', '1', '0', '']).optional(),
  /** How often each worker fans out events and delivers due webhooks. */
  PLINTH_WEBHOOKS_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
  /** smtp://user:pass@host:587 or smtps://…: send mail. Unset: mail stays in the local outbox (internal console). */
  SMTP_URL: optional,
  MAIL_FROM: z.string().trim().min(3).default('Plinth <no-reply@plinth.local>'),
  /** Per delivery attempt, connection to last byte. */
  PLINTH_WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Days a past-due organization may still start operations before they are blocked. */
  PLINTH_PAST_DUE_GRACE_DAYS: z.coerce.number().min(0).default(7),
  /** Addresses/CIDR ranges of the reverse proxies whose X-Forwarded-For entries are believed (default: none). */
  PLINTH_TRUSTED_PROXIES: optional,
  /** Free-plan deployments one user may own across all their organizations, and organizations one user may create. */
  PLINTH_FREE_DEPLOYMENTS_PER_USER: z.coerce.number().int().min(0).default(1),
  PLINTH_ORGS_PER_USER: z.coerce.number().int().min(1).default(5),
  PLINTH_SIGNUPS_PER_IP_HOUR: z.coerce.number().int().min(1).default(20),
  /** Public URL of the app, for Stripe's return links. */
  APP_URL: z.string().url().default('http://localhost:3000'),
  STRIPE_SECRET_KEY: optional,
  STRIPE_WEBHOOK_SECRET: optional,
  /** Where stripe-node sends requests (tests point it at a local server). Unset: Stripe's API. */
  STRIPE_API_BASE: optional,
  STRIPE_PRICE_STARTER: optional,
  STRIPE_PRICE_PRO: optional,
  STRIPE_PRICE_ENTERPRISE: optional,
  /** The metered price tied to the deployment_hours meter, added to every subscription. */
  STRIPE_PRICE_METERED: optional,
  /** Bearer token Prometheus must send to /metrics (web) and the worker's metrics port. Unset: /metrics refuses. */
  PLINTH_METRICS_TOKEN: optional,
  /**
   * Port of the worker's metrics and liveness server. 0 (the default for `npm run worker`): off, so several workers
   * can share a host. The image sets 9464: each pod has its own network namespace.
   */
  PLINTH_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  PLINTH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json` (one object per line, for a log pipeline) or `pretty` (for people). Default: pretty in development. */
  PLINTH_LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
});

function parse() {
  const result = schema.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const raw = result.data;
  const dataDir = path.resolve(raw.DATA_DIR);
  return {
    databaseUrl: raw.DATABASE_URL,
    migrateOnStart: raw.PLINTH_MIGRATE_ON_START !== '0',
    dataDir,
    // Like the secret key below: with a Postgres server there may be many web replicas, and a session signed with
    // one replica's generated secret would be rejected by the others, so it must come from the environment.
    authSecret: raw.AUTH_SECRET ?? (raw.DATABASE_URL ? null : persistedSecret(dataDir, 'auth-secret')),
    // With a Postgres server, web and worker processes may run on different hosts: a key generated into one
    // host's DATA_DIR would make the others' secrets unreadable, so the key must come from the environment.
    secretKey: raw.PLINTH_SECRET_KEY
      ? Buffer.from(raw.PLINTH_SECRET_KEY, 'base64url')
      : raw.DATABASE_URL
        ? null
        : Buffer.from(persistedSecret(dataDir, 'secret-key'), 'base64url'),
    inProcessWorker: raw.PLINTH_IN_PROCESS_WORKER ? raw.PLINTH_IN_PROCESS_WORKER === '1' : !raw.DATABASE_URL,
    engines: { infra: raw.PLINTH_INFRA_ENGINE, delivery: raw.PLINTH_DELIVERY_ENGINE },
    sandbox: {
      latencyMs: raw.PLINTH_SANDBOX_LATENCY_MS,
      transientFaultRate: raw.PLINTH_SANDBOX_TRANSIENT_FAULT_RATE,
      permanentFaultRate: raw.PLINTH_SANDBOX_PERMANENT_FAULT_RATE,
      failVersions: raw.PLINTH_SANDBOX_FAIL_VERSIONS.split(',').map((v) => v.trim()).filter(Boolean),
    },
    rollouts: { intervalMs: raw.PLINTH_ROLLOUT_INTERVAL_MS, leaseMs: raw.PLINTH_ROLLOUT_LEASE_MS },
    offboarding: { intervalMs: raw.PLINTH_OFFBOARDING_INTERVAL_MS, leaseMs: raw.PLINTH_OFFBOARDING_LEASE_MS },
    snapshots: { intervalMs: raw.PLINTH_SNAPSHOT_INTERVAL_MS, leaseMs: Math.max(15_000, 3 * raw.PLINTH_SNAPSHOT_INTERVAL_MS) },
    prometheusUrl: raw.PROMETHEUS_URL,
    day2: { resyncMs: raw.PLINTH_RESYNC_INTERVAL, degradedAfterMs: raw.PLINTH_DEGRADED_AFTER_S * 1000, escalateAfter: raw.PLINTH_ESCALATE_AFTER_RECOVERIES },
    worker: { concurrency: raw.PLINTH_WORKER_CONCURRENCY, leaseMs: raw.PLINTH_LEASE_MS, shutdownGraceMs: raw.PLINTH_SHUTDOWN_GRACE_MS, shutdownDelayMs: raw.PLINTH_SHUTDOWN_DELAY_S * 1000 },
    deployDir: path.resolve(/*turbopackIgnore: true*/ raw.PLINTH_DEPLOY_DIR ?? 'deploy'),
    healthPollMs: raw.PLINTH_HEALTH_POLL_MS ?? (raw.PLINTH_DELIVERY_ENGINE === 'argocd' ? 2000 : null),
    terraform: {
      bin: raw.TERRAFORM_BIN,
      pgConnStr: raw.PG_CONN_STR ?? stateDatabaseUrl(raw.DATABASE_URL),
      workDir: path.join(dataDir, 'terraform'),
      timeoutMs: raw.PLINTH_TERRAFORM_TIMEOUT_S * 1000,
      graceMs: raw.PLINTH_TERRAFORM_GRACE_S * 1000,
      lockTimeoutS: raw.PLINTH_TERRAFORM_LOCK_TIMEOUT_S,
    },
    argocd:
      raw.ARGOCD_SERVER && raw.ARGOCD_TOKEN
        ? {
            server: raw.ARGOCD_SERVER,
            token: raw.ARGOCD_TOKEN,
            project: raw.ARGOCD_PROJECT,
            applicationSet: raw.ARGOCD_APPLICATIONSET,
            sharedCluster: raw.ARGOCD_SHARED_CLUSTER,
          }
        : null,
    gitops: {
      repoUrl: raw.GITOPS_REPO_URL ?? path.join(dataDir, 'gitops.git'),
      branch: raw.GITOPS_BRANCH,
      workDir: path.join(dataDir, 'gitops'),
      timeoutMs: raw.PLINTH_GIT_TIMEOUT_S * 1000,
    },
    trustedProxies: parseTrustedProxies(raw.PLINTH_TRUSTED_PROXIES),
    limits: { freeDeploymentsPerUser: raw.PLINTH_FREE_DEPLOYMENTS_PER_USER, orgsPerUser: raw.PLINTH_ORGS_PER_USER, signUpsPerIpPerHour: raw.PLINTH_SIGNUPS_PER_IP_HOUR },
    mail: { smtpUrl: raw.SMTP_URL, from: raw.MAIL_FROM },
    webhooks: {
      allowPrivate: raw.PLINTH_WEBHOOKS_ALLOW_PRIVATE === 'true' || raw.PLINTH_WEBHOOKS_ALLOW_PRIVATE === '1',
      intervalMs: raw.PLINTH_WEBHOOKS_INTERVAL_MS,
      timeoutMs: raw.PLINTH_WEBHOOKS_TIMEOUT_MS,
    },
    billing: { intervalMs: raw.PLINTH_BILLING_INTERVAL_MS, pastDueGraceDays: raw.PLINTH_PAST_DUE_GRACE_DAYS, appUrl: raw.APP_URL },
    stripe: raw.STRIPE_SECRET_KEY
      ? {
          secretKey: raw.STRIPE_SECRET_KEY,
          webhookSecret: raw.STRIPE_WEBHOOK_SECRET,
          apiBase: raw.STRIPE_API_BASE,
          prices: { starter: raw.STRIPE_PRICE_STARTER, pro: raw.STRIPE_PRICE_PRO, enterprise: raw.STRIPE_PRICE_ENTERPRISE } as Record<string, string | null>,
          meteredPrice: raw.STRIPE_PRICE_METERED,
        }
      : null,
    github: raw.AUTH_GITHUB_ID && raw.AUTH_GITHUB_SECRET ? { id: raw.AUTH_GITHUB_ID, secret: raw.AUTH_GITHUB_SECRET } : null,
    observability: {
      metricsToken: raw.PLINTH_METRICS_TOKEN,
      metricsPort: raw.PLINTH_METRICS_PORT,
      logLevel: raw.PLINTH_LOG_LEVEL,
      logFormat: raw.PLINTH_LOG_FORMAT ?? (raw.NODE_ENV === 'development' ? 'pretty' : 'json'),
    },
    google: raw.AUTH_GOOGLE_ID && raw.AUTH_GOOGLE_SECRET ? { id: raw.AUTH_GOOGLE_ID, secret: raw.AUTH_GOOGLE_SECRET } : null,
  };
}

const GENERATE = `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`;

/** The deployment-secrets key, or a start-up error that says what to set. */
export function requireSecretKey(e: { secretKey: Buffer | null }): Buffer {
  if (!e.secretKey) {
    throw new Error(`PLINTH_SECRET_KEY is required with DATABASE_URL (every web and worker process must share it). Generate one with: ${GENERATE}`);
  }
  return e.secretKey;
}

/** The session-signing secret, or a start-up error that says what to set. */
export function requireAuthSecret(e: { authSecret: string | null }): string {
  if (!e.authSecret) {
    throw new Error(`AUTH_SECRET is required with DATABASE_URL (every web replica must share it, or sessions signed by one are rejected by the others). Generate one with: ${GENERATE}`);
  }
  return e.authSecret;
}

/**
 * A secret generated on first start and kept in DATA_DIR, so a fresh machine needs no configuration.
 * Only in embedded mode: with a Postgres server the variables are required instead (see the require* above).
 */
function persistedSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}

export type Env = ReturnType<typeof parse>;

const globalForEnv = globalThis as unknown as { __plinthEnv?: Env };
export const env: Env = (globalForEnv.__plinthEnv ??= parse());

/** Terraform state holds secrets: by default it lives in a database of its own next to Plinth's, never in Plinth's tables. */
function stateDatabaseUrl(databaseUrl: string | null): string | null {
  if (!databaseUrl) return null;
  try {
    const u = new URL(databaseUrl);
    u.pathname = `/${decodeURIComponent(u.pathname.slice(1)) || 'postgres'}_tfstate`;
    return u.toString();
  } catch {
    return null;
  }
}
