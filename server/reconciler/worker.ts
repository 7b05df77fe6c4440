/**
 * A reconciler worker: claims due deployments (up to `concurrency` at a time), reconciles each, heartbeats its
 * leases, and sleeps until a NOTIFY, a timer, or a finished pass says there may be more. Run as many as you like
 * against one Postgres server; in embedded mode one runs inside the web process.
 *
 * Every pass has an AbortController handed to the engines. It fires when the heartbeat extended nothing for the
 * deployment (another worker took it over), when the lease ran out locally before a heartbeat could extend it
 * (a partition, a paused process), or when the process is stopping and the grace period is over.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '~/db/client';
import { logger, withLogContext } from '../observability/logger';
import { countTakeover, observePass, type PassResult } from '../observability/metrics';
import { TerminalError, type Engines } from './engines/types';
import type { Day2Options } from './health-check';
import { reconcile, type Pass } from './reconcile';
import { claim, heartbeat, LeaseLost, RECONCILE_CHANNEL, recordWorkerBeat, write, type Claimed } from './store';
import { resyncAtSql } from './resync';

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
  /** Claims in a row without a recorded outcome (the worker died each time) after which the deployment fails. */
  failAfterUnfinished?: number;
  backoffBaseMs?: number;
  /** When a deleted deployment's engines are checked once more (a stalled worker's late write is reclaimed). */
  reclaimAfterMs?: number;
  /** Continuous resync, drift and health (resync.ts); unset: a converged deployment is not looked at again. */
  day2?: Day2Options;
  log?: (message: string) => void;
};

/** Exponential backoff with jitter between 50% and 100%: base, 2×base, 4×base … capped at 5 minutes. */
export function backoffMs(attempts: number, baseMs = 1000, random = Math.random): number {
  const ceiling = Math.min(300_000, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** Why a pass was aborted because the process is stopping (as opposed to LeaseLost). */
export class Stopping extends Error {
  override name = 'Stopping';
}

type Inflight = { promise: Promise<void>; controller: AbortController; deadline: NodeJS.Timeout | null };

export class Worker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly inflight = new Map<string, Inflight>();
  private running = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private beating = false;
  readonly stats = { passes: 0, errors: 0, aborted: 0 };
  private readonly o: Required<Omit<WorkerOptions, 'log' | 'day2'>> & { log: (m: string) => void; day2?: Day2Options };

  constructor(options: WorkerOptions) {
    const leaseMs = options.leaseMs ?? 30_000;
    this.o = {
      concurrency: 16,
      leaseMs,
      pollMs: 1000,
      healthPollMs: 250,
      failAfterAttempts: 5,
      failAfterUnfinished: 5,
      backoffBaseMs: 1000,
      reclaimAfterMs: Math.max(10_000, 2 * leaseMs),
      // Through the root logger: inside a pass the log context already names the worker (no duplicate key).
      log: (m) => logger.info({ workerId: this.id }, m),
      ...options,
    };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopListening = await this.o.database.listen(RECONCILE_CHANNEL, () => this.poke());
    this.heartbeatTimer = setInterval(() => void this.beat(), this.beatEveryMs);
    await this.presence();
    this.loop = this.run();
  }

  /**
   * Stops claiming, lets passes in flight finish for up to `graceMs` (leases still heartbeated), then aborts the
   * rest through their signals (engines cancel cleanly) and waits for them to unwind.
   */
  async stop({ graceMs = 0 }: { graceMs?: number } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.poke();
    await this.loop;
    const all = () => Promise.allSettled([...this.inflight.values()].map((p) => p.promise));
    if (this.inflight.size > 0 && graceMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    for (const p of this.inflight.values()) p.controller.abort(new Stopping('the worker is stopping'));
    await all();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.presence(true);
    await this.stopListening?.();
  }

  private get beatEveryMs() {
    return Math.max(100, Math.floor(this.o.leaseMs / 3));
  }

  /** The worker's own heartbeat row (idle or busy), so the health page can tell a live idle worker from a dead one. */
  private async presence(stopped = false) {
    try {
      await recordWorkerBeat(this.o.database.db, this.id, { beatEveryMs: this.beatEveryMs, passes: this.stats.passes, stopped });
    } catch (e) {
      this.o.log(`worker heartbeat failed: ${(e as Error).message}`);
    }
  }

  poke() {
    this.wake?.();
  }

  /** Extends the leases in flight; aborts every pass whose lease was not extended (taken over meanwhile). */
  private async beat() {
    void this.presence();
    if (this.beating || this.inflight.size === 0) return; // a hung heartbeat is covered by the local deadlines
    this.beating = true;
    const passes = new Map(this.inflight);
    const sentAt = Date.now();
    try {
      const extended = await heartbeat(this.o.database.db, this.id, [...passes.keys()], this.o.leaseMs);
      for (const [id, p] of passes) {
        if (this.inflight.get(id) !== p) continue; // finished (and maybe claimed again) meanwhile
        if (extended.has(id)) this.arm(p, sentAt);
        else p.controller.abort(new LeaseLost(`lease on deployment ${id} was not extended: another worker holds it now`));
      }
    } catch (e) {
      this.o.log(`heartbeat failed: ${(e as Error).message}`);
    } finally {
      this.beating = false;
    }
  }

  /**
   * The lease runs out on the database's clock `leaseMs` after the statement that set it, which ran after
   * `sentAt`: abort locally a margin before, so a worker that cannot reach the database (or was paused) stops
   * touching the engines before anyone else may start.
   */
  private arm(p: Inflight, sentAt: number) {
    if (p.deadline) clearTimeout(p.deadline);
    const margin = Math.min(1000, this.o.leaseMs / 10);
    p.deadline = setTimeout(() => p.controller.abort(new LeaseLost('the lease ran out before a heartbeat could extend it')), sentAt + this.o.leaseMs - margin - Date.now());
  }

  private async run() {
    while (this.running) {
      const free = this.o.concurrency - this.inflight.size;
      let claimed: Claimed[] = [];
      // Refill in batches: one claim per freed slot would make the claim query the hot path.
      if (free >= Math.ceil(this.o.concurrency / 2) || (free > 0 && this.inflight.size === 0)) {
        const sentAt = Date.now();
        try {
          claimed = await claim(this.o.database.db, this.id, free, this.o.leaseMs, this.o.backoffBaseMs);
        } catch (e) {
          this.o.log(`claim failed: ${(e as Error).message}`);
        }
        // A claim whose previous pass recorded no outcome: its worker died or lost the lease (a takeover).
        const takenOver = claimed.filter((d) => d.unfinishedPasses > 1).length;
        if (takenOver > 0) countTakeover(takenOver);
        for (const d of claimed) {
          const p: Inflight = { promise: Promise.resolve(), controller: new AbortController(), deadline: null };
          this.arm(p, sentAt);
          const context = { workerId: this.id, deploymentId: d.id, orgId: d.orgId, generation: d.generation };
          p.promise = withLogContext(context, () => this.process(d, p.controller.signal)).finally(() => {
            if (p.deadline) clearTimeout(p.deadline);
            this.inflight.delete(d.id);
            if (this.inflight.size <= this.o.concurrency / 2) this.poke();
          });
          this.inflight.set(d.id, p);
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

  /** The engine doing the work in this pass, for the metrics: the infrastructure's, or both when they differ. */
  private engineLabel(): string {
    const { infra, delivery } = this.o.engines;
    return infra.name === delivery.name ? infra.name : `${infra.name}+${delivery.name}`;
  }

  private async process(d: Claimed, signal: AbortSignal) {
    let result: PassResult | null = null;
    try {
      result = await this.pass(d, signal);
    } finally {
      if (result) observePass({ phase: d.phase, engine: this.engineLabel(), result });
    }
  }

  private async pass(d: Claimed, signal: AbortSignal): Promise<PassResult | null> {
    const { db } = this.o.database;
    const owner = this.id;
    this.stats.passes++;
    const pass: Pass = { signal, progressed: false };
    try {
      // `unfinishedPasses` counts this claim too: the ones before it all ended without an outcome.
      const stopped = d.unfinishedPasses - 1;
      if (stopped >= this.o.failAfterUnfinished) throw new TerminalError(`The worker stopped while reconciling this deployment ${stopped} times`);
      const { day2 } = this.o;
      const r = await reconcile({ db, engines: this.o.engines, owner, secretKey: this.o.secretKey, reclaimAfterMs: this.o.reclaimAfterMs, day2 }, d, pass);
      signal.throwIfAborted(); // nothing more is written for a pass whose lease is gone
      // A live deployment that converged is looked at again at its resync slot; a deleted one never.
      const resyncAt = day2?.resyncMs && d.phase !== 'deleted' && !d.deletionRequestedAt ? resyncAtSql(d.id, day2.resyncMs) : undefined;
      const release =
        r.result === 'converged' ? { converged: true as const, resyncAt } : { afterMs: r.result === 'requeue' ? r.afterMs : this.o.healthPollMs };
      await write(db, d, owner, { ...r.write, release });
      return r.result === 'converged' ? 'converged' : 'requeued';
    } catch (error) {
      if (signal.aborted) {
        this.stats.aborted++;
        if (signal.reason instanceof Stopping) {
          // Give the deployment back at once rather than leaving it to the lease: this pass does not count.
          await write(db, d, owner, { release: { interrupted: true } }).catch(() => {});
        }
        this.o.log(`pass on ${d.id} aborted: ${(signal.reason as Error)?.message ?? signal.reason}`);
        return null;
      }
      if (error instanceof LeaseLost) {
        this.o.log(error.message);
        return null;
      }
      this.stats.errors++;
      const message = error instanceof Error ? error.message : String(error);
      // Counted when claimed; a pass that completed a step before failing starts the count over.
      const attempts = pass.progressed ? 1 : d.attempts;
      try {
        if (error instanceof TerminalError) {
          await write(db, d, owner, {
            patch: { lastError: message },
            events: [{ step: 'failed', level: 'error', message }],
            operations: { ok: false, error: message },
            release: { failed: true, attempts, retryAfterMs: null, failPhase: true },
            segment: { billable: false }, // failed periods are not charged
          });
        } else {
          const delay = backoffMs(attempts, this.o.backoffBaseMs);
          const failPhase = attempts >= this.o.failAfterAttempts && !d.deletionRequestedAt;
          await write(db, d, owner, {
            ...(failPhase ? { segment: { billable: false as const } } : {}),
            patch: { lastError: message },
            events: [{ step: 'retry', level: 'warning', message: `Attempt ${attempts} failed: ${message}. Retrying in ${delay < 1000 ? `${delay} ms` : `${Math.ceil(delay / 1000)} s`}.` }],
            release: { failed: true, attempts, retryAfterMs: delay, failPhase },
          });
        }
      } catch (inner) {
        // Could not even record the failure (lease lost, database down): the lease expires and another pass retries.
        this.o.log(`could not record failure of ${d.id}: ${(inner as Error).message}`);
      }
      return error instanceof TerminalError ? 'terminal_error' : 'transient_error';
    }
  }
}
