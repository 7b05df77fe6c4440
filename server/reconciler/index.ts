/** Wiring: which engines this process uses (from env), and starting a worker. */
import type { Database } from '~/db/client';
import { env } from '../env';
import { createSandboxEngines } from './engines/sandbox';
import type { Engines } from './engines/types';
import { Worker, type WorkerOptions } from './worker';

export function createEngines(database: Database): Engines {
  // Only the sandbox exists so far; Terraform and Argo CD adapters plug in here behind the same interfaces.
  return createSandboxEngines(database.db, env.sandbox);
}

/** What the internal console shows about the engines this installation uses. */
export function engineSummary(): { infra: string; delivery: string; details: Record<string, string> } {
  return { infra: env.engines.infra, delivery: env.engines.delivery, details: {} };
}

export async function startWorker(database: Database, overrides: Partial<WorkerOptions> = {}): Promise<Worker> {
  const worker = new Worker({
    database,
    engines: createEngines(database),
    secretKey: env.secretKey,
    concurrency: env.worker.concurrency,
    leaseMs: env.worker.leaseMs,
    pollMs: database.kind === 'pglite' ? 500 : 1000,
    ...overrides,
  });
  await worker.start();
  return worker;
}
