/**
 * A reconciler worker: claims due deployments (up to `concurrency` at a time), reconciles each, heartbeats its
 * leases, and sleeps until a NOTIFY, a timer, or a finished pass says there may be more. Run as many as you like
 * against one Postgres server; in embedded mode one runs inside the web process.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '~/db/client';
import { TerminalError, type Engines } from './engines/types';
import { reconcile } from './reconcile';
import { claim, heartbeat, LeaseLost, RECONCILE_CHANNEL, write, type Claimed } from './store';

export type WorkerOptions = {
  database: Database;
  engines: Engines;
  secretKey: Buffer;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  healthPollMs?: number;
  /** Consecutive transient failures after which the phase shows `failed` (retries go on). */
  failAfterAttempts?: number;
  backoffBaseMs?: number;
  log?: (message: string) => void;
};

/** Exponential backoff with jitter between 50% and 100%: base, 2×base, 4×base … capped at 5 minutes. */
export function backoffMs(attempts: number, baseMs = 1000, random = Math.random): number {
  const ceiling = Math.min(300_000, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

export class Worker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly inflight = new Map<string, Promise<void>>();
  private running = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  readonly stats = { passes: 0, errors: 0 };
  private readonly o: Required<Omit<WorkerOptions, 'log'>> & { log: (m: string) => void };

  constructor(options: WorkerOptions) {
    this.o = {
      concurrency: 16,
      leaseMs: 30_000,
      pollMs: 1000,
      healthPollMs: 250,
      failAfterAttempts: 5,
      backoffBaseMs: 1000,
      log: (m) => console.log(`[reconciler ${this.id}] ${m}`),
      ...options,
    };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopListening = await this.o.database.listen(RECONCILE_CHANNEL, () => this.poke());
    this.heartbeatTimer = setInterval(() => {
      heartbeat(this.o.database.db, this.id, [...this.inflight.keys()], this.o.leaseMs).catch((e) => this.o.log(`heartbeat failed: ${e}`));
    }, Math.max(100, Math.floor(this.o.leaseMs / 3)));
    this.loop = this.run();
  }

  /** Stops claiming, waits for passes in flight, releases nothing it has not finished (leases simply expire). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.poke();
    await this.loop;
    await Promise.allSettled(this.inflight.values());
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.stopListening?.();
  }

  poke() {
    this.wake?.();
  }

  private async run() {
    while (this.running) {
      const free = this.o.concurrency - this.inflight.size;
      let claimed: Claimed[] = [];
      // Refill in batches: one claim per freed slot would make the claim query the hot path.
      if (free >= Math.ceil(this.o.concurrency / 2) || (free > 0 && this.inflight.size === 0)) {
        try {
          claimed = await claim(this.o.database.db, this.id, free, this.o.leaseMs);
        } catch (e) {
          this.o.log(`claim failed: ${(e as Error).message}`);
        }
        for (const d of claimed) {
          const pass = this.process(d).finally(() => {
            this.inflight.delete(d.id);
            if (this.inflight.size <= this.o.concurrency / 2) this.poke();
          });
          this.inflight.set(d.id, pass);
        }
      }
      if (claimed.length > 0 && claimed.length === free) continue; // probably more due: claim again at once
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.o.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
  }

  private async process(d: Claimed) {
    const { db } = this.o.database;
    this.stats.passes++;
    try {
      await reconcile({ db, engines: this.o.engines, owner: this.id, secretKey: this.o.secretKey, healthPollMs: this.o.healthPollMs }, d);
    } catch (error) {
      if (error instanceof LeaseLost) return this.o.log(error.message);
      this.stats.errors++;
      const message = error instanceof Error ? error.message : String(error);
      try {
        if (error instanceof TerminalError) {
          await write(db, d, this.id, {
            patch: { phase: 'failed', lastError: message, attempts: d.attempts + 1 },
            events: [{ step: 'failed', level: 'error', message }],
            operations: { ok: false, error: message },
            release: { at: null },
            segment: { billable: false }, // failed periods are not charged
          });
        } else {
          const attempts = d.attempts + 1;
          const delay = backoffMs(attempts, this.o.backoffBaseMs);
          const phase = attempts >= this.o.failAfterAttempts && !d.deletionRequestedAt ? { phase: 'failed' as const } : {};
          await write(db, d, this.id, {
            ...(phase.phase ? { segment: { billable: false as const } } : {}),
            patch: { ...phase, lastError: message, attempts },
            events: [{ step: 'retry', level: 'warning', message: `Attempt ${attempts} failed: ${message}. Retrying in ${delay < 1000 ? `${delay} ms` : `${Math.ceil(delay / 1000)} s`}.` }],
            release: { at: new Date(Date.now() + delay) },
          });
        }
      } catch (inner) {
        // Could not even record the failure (lease lost, database down): the lease expires and another pass retries.
        this.o.log(`could not record failure of ${d.id}: ${(inner as Error).message}`);
      }
    }
  }
}
