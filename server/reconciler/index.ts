/** Wiring: which engines this process uses (from env), checking them at start-up, and starting a worker. */
import { instrumentEngines } from '../observability/engines';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '~/db/client';
import { env, requireSecretKey } from '../env';
import { createArgoEngine } from './engines/argocd';
import { groupCommits } from './engines/gitops-group';
import { checked, checkEngines as check } from './engines/check';
import { createSandboxEngines } from './engines/sandbox';
import { createTerraformEngine, type TerraformEngine } from './engines/terraform';
import type { DeliveryEngine, Engines, InfraEngine } from './engines/types';
import { Worker, type WorkerOptions } from './worker';

/** Terraform engines of this process, so shutdown can interrupt their runs; on globalThis to survive Next's bundling. */
const g = globalThis as unknown as { __plinthTerraformEngines?: Set<TerraformEngine> };
const terraformEngines = (g.__plinthTerraformEngines ??= new Set<TerraformEngine>());

export function createEngines(database: Database): Engines {
  const sandbox = createSandboxEngines(database.db, env.sandbox);
  let infra: InfraEngine = sandbox.infra;
  let delivery: DeliveryEngine = sandbox.delivery;
  if (env.engines.infra === 'terraform') {
    if (!env.terraform.pgConnStr) throw new Error('PLINTH_INFRA_ENGINE=terraform needs PG_CONN_STR or DATABASE_URL (Terraform state lives in Postgres).');
    const engine = createTerraformEngine({
      ...env.terraform,
      pgConnStr: env.terraform.pgConnStr,
      modulesDir: path.join(env.deployDir, 'terraform', 'modules'),
    });
    terraformEngines.add(engine);
    infra = engine;
  }
  if (env.engines.delivery === 'argocd') {
    if (!env.argocd) throw new Error('PLINTH_DELIVERY_ENGINE=argocd needs ARGOCD_SERVER and ARGOCD_TOKEN.');
    delivery = createArgoEngine({
      api: env.argocd,
      sharedCluster: env.argocd.sharedCluster,
      gitops: {
        ...env.gitops,
        shared: { '_base/redis/values.yaml': readFileSync(path.join(env.deployDir, 'helm', 'redis', 'values.yaml'), 'utf8') },
        // Workers sharing this Postgres queue their edits and take turns committing everyone's (gitops-group.ts).
        group: groupCommits(database, env.gitops.repoUrl),
      },
    });
  }
  // Every engine call is timed into plinth_engine_call_duration_seconds (server/observability/engines.ts).
  return instrumentEngines({ infra, delivery });
}

/** Stops start-up with what to set when a selected real engine is unusable (binary, API, token, repository). */
export function checkEngines(): Promise<void> {
  return check(env);
}

/** Interrupts running terraform commands (SIGINT, then SIGKILL after the grace period) so they save state. */
export function cancelEngineWork(reason = 'Plinth is shutting down'): void {
  for (const engine of terraformEngines) engine.cancelAll(reason);
}

/** What the internal console shows about the engines this installation uses. Never secrets. */
export function engineSummary(): { infra: string; delivery: string; details: Record<string, string> } {
  const details: Record<string, string> = {};
  if (env.engines.infra === 'terraform') {
    Object.assign(details, { 'terraform.binary': env.terraform.bin, 'terraform.version': 'not checked yet' });
  }
  if (env.engines.delivery === 'argocd') {
    Object.assign(details, {
      'argocd.server': env.argocd?.server ?? 'not set',
      'argocd.project': env.argocd?.project ?? 'not set',
      'gitops.repo': env.gitops.repoUrl.replace(/\/\/[^/@]*@/, '//***@'),
      'gitops.branch': env.gitops.branch,
    });
  }
  return { infra: env.engines.infra, delivery: env.engines.delivery, details: { ...details, ...checked } };
}

export async function startWorker(database: Database, overrides: Partial<WorkerOptions> = {}): Promise<Worker> {
  const worker = new Worker({
    database,
    engines: createEngines(database),
    secretKey: requireSecretKey(env),
    concurrency: env.worker.concurrency,
    leaseMs: env.worker.leaseMs,
    pollMs: database.kind === 'pglite' ? 500 : 1000,
    // A real Argo CD is asked for status over HTTP: by default every 2 s rather than the sandbox's 250 ms.
    ...(env.healthPollMs ? { healthPollMs: env.healthPollMs } : {}),
    day2: env.day2,
    ...overrides,
  });
  await worker.start();
  return worker;
}
