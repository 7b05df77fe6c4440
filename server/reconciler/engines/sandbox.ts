/**
 * The sandbox engines: a simulated cloud with the engines' interfaces, kept in the `sandbox_resources` table so
 * every worker process sees the same cloud. Latency and faults are configurable (and mutable, for tests).
 *
 * The sandbox reports no per-resource progress (a real engine such as Terraform does); the reconciler's own
 * events say what it asked for and how long it took.
 *
 * Like a well-behaved cloud API it is idempotent per deployment and kind: a create is `insert … on conflict`
 * against a unique index on the live (deployment, kind), never check-then-insert, and a write carries the
 * deployment's generation so an older one never overwrites a newer one. The latency stays (before the side
 * effect), and the signal is checked right before each side effect: a worker that lost its lease makes none.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { sandboxResources } from '~/db/schema';
import { decryptSecret, encryptSecret } from '../../crypto';
import { env, requireSecretKey } from '../../env';
import { jsonEqual } from '~/lib/equal';
import {
  TerminalError,
  TransientError,
  type DeliveryEngine,
  type EngineDeployment,
  type Engines,
  type InfraEngine,
} from './types';

export type SandboxOptions = {
  latencyMs: number;
  transientFaultRate: number;
  permanentFaultRate: number;
  /** Versions that never start: applying one fails permanently (a bad release, for rollout canaries). */
  failVersions?: string[];
  random?: () => number;
  /** Seals the simulated cloud's copy of each password (default: PLINTH_SECRET_KEY, like deployment secrets). */
  secretKey?: Buffer;
};

/** The sandbox cloud's list price: a GB of memory per instance-hour, in hundredths of a cent ($0.01). */
export const SANDBOX_CENTI_CENTS_PER_GB_HOUR = 100;

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());
/**
 * Lets every timer that is already due run first (a resumed process fires its lease deadline there), then
 * refuses to go on if the worker may no longer act.
 */
async function mayAct(signal?: AbortSignal) {
  if (signal) await new Promise((r) => setImmediate(r));
  signal?.throwIfAborted();
}

export function createSandboxEngines(db: Db, options: SandboxOptions): Engines & { options: SandboxOptions } {
  const random = () => (options.random ?? Math.random)();
  // The sandbox keeps each password (a re-apply must return the same one) sealed like the real secret; rows
  // written before this change hold plain text (never `v1.…`: base64url has no dots) and are still read.
  const key = () => options.secretKey ?? requireSecretKey(env);
  const seal = (password: string) => encryptSecret(key(), password);
  const unseal = (stored: string) => (stored.startsWith('v1.') ? decryptSecret(key(), stored) : stored);

  /** Injected faults strike before or after the side effect: a timeout after the cloud did the work is the hard case. */
  function fault(call: string, d: EngineDeployment) {
    if ((call === 'infra.apply' || call === 'app.sync') && options.failVersions?.includes(d.spec.version)) {
      throw new TerminalError(`sandbox ${call}: Redis ${d.spec.version} does not start (injected permanent fault on this version)`);
    }
    if (options.permanentFaultRate > 0 && random() < options.permanentFaultRate) {
      throw new TerminalError(`sandbox ${call}: region ${d.spec.region} has no capacity for plan ${d.spec.plan} (injected permanent fault)`);
    }
    if (options.transientFaultRate > 0 && random() < options.transientFaultRate) {
      throw new TransientError(`sandbox ${call}: the cloud API timed out (injected transient fault)`);
    }
  }
  const faultAround = async <T>(call: string, d: EngineDeployment, work: () => Promise<T>): Promise<T> => {
    const before = random() < 0.5;
    if (before) fault(call, d);
    const result = await work();
    if (!before) fault(call, d);
    return result;
  };

  // Prepared once: these run several times per reconcile pass.
  const liveQuery = db
    .select()
    .from(sandboxResources)
    .where(
      and(
        eq(sandboxResources.deploymentId, sql.placeholder('deploymentId')),
        eq(sandboxResources.kind, sql.placeholder('kind')),
        isNull(sandboxResources.destroyedAt),
      ),
    )
    .prepare('sandbox_live_resource');
  const live = async (deploymentId: string, kind: string) => (await liveQuery.execute({ deploymentId, kind }))[0];
  /**
   * Everything live of one deployment in one read, shared by the calls made at the same moment: a resync asks
   * plan(), status() and probe() together, and the simulated cloud answers them with one query. Only calls in
   * flight together share it, so nothing is ever answered from an older read.
   */
  const resourcesQuery = db
    .select({ kind: sandboxResources.kind, spec: sandboxResources.spec, revision: sandboxResources.revision, ready: sql<boolean>`${sandboxResources.readyAt} <= now()`, fault: sandboxResources.injectedFault })
    .from(sandboxResources)
    .where(and(eq(sandboxResources.deploymentId, sql.placeholder('deploymentId')), isNull(sandboxResources.destroyedAt)))
    .prepare('sandbox_live_resources');
  type Live = Awaited<ReturnType<typeof resourcesQuery.execute>>;
  const reading = new Map<string, Promise<Live>>();
  const resources = (deploymentId: string): Promise<Live> => {
    let p = reading.get(deploymentId);
    if (!p) {
      p = resourcesQuery.execute({ deploymentId }).finally(() => reading.delete(deploymentId));
      reading.set(deploymentId, p);
    }
    return p;
  };
  const destroy = async (deploymentId: string, kind: string, signal?: AbortSignal) => {
    await mayAct(signal);
    await db
      .update(sandboxResources)
      .set({ destroyedAt: sql`now()` })
      .where(and(eq(sandboxResources.deploymentId, deploymentId), eq(sandboxResources.kind, kind), isNull(sandboxResources.destroyedAt)));
  };
  /**
   * Creates the live resource of this kind, or brings it to `spec` — unless it was written for a newer
   * generation. One statement, so two callers can never make two. Returns the live row.
   */
  const put = async (d: EngineDeployment, kind: string, spec: unknown, extra: { secret?: string; readyAt?: ReturnType<typeof sql> }, signal?: AbortSignal) => {
    await mayAct(signal);
    const changed = sql`${sandboxResources.generation} <= excluded.generation and ${sandboxResources.spec} is distinct from excluded.spec`;
    const [row] = await db
      .insert(sandboxResources)
      .values({ deploymentId: d.id, kind, spec, generation: d.generation, ...extra })
      .onConflictDoUpdate({
        target: [sandboxResources.deploymentId, sandboxResources.kind],
        targetWhere: isNull(sandboxResources.destroyedAt),
        set: {
          spec: sql`excluded.spec`,
          generation: sql`excluded.generation`,
          revision: sql`${sandboxResources.revision} + 1`,
          ...(extra.readyAt ? { readyAt: sql`excluded.ready_at` } : {}),
        },
        setWhere: changed,
      })
      .returning();
    // Nothing returned: the live row was already there and stays as it is (same spec, or a newer generation).
    return row ?? (await live(d.id, kind))!;
  };

  /** The simulated cloud's price for what it holds: memory × instances; BYOC is the customer's cloud, free to us. */
  const sandboxHourlyCost = (spec: ReturnType<typeof infraSpec>) =>
    spec.tier === 'byoc' ? 0 : Math.round((spec.memoryMb / 1024) * (1 + spec.replicas) * SANDBOX_CENTI_CENTS_PER_GB_HOUR);
  const infraSpec = (d: EngineDeployment) => ({
    tier: d.tier,
    region: d.spec.region,
    memoryMb: d.spec.memoryMb,
    replicas: d.spec.replicas,
    persistence: d.spec.persistence,
    // Seeded from a snapshot when created (a restore): part of what was applied, so drift checks agree.
    ...(d.restoreFrom ? { restoredFrom: d.restoreFrom } : {}),
  });
  /**
   * A snapshot is a resource of its own, keyed by the snapshot's id (kind `snapshot`), so the sandbox audit sees
   * every copy it holds and when it was deleted. Its size is what a Redis of that memory would plausibly write.
   */
  const snapshotSize = (d: EngineDeployment, snapshotId: string) =>
    Math.round(d.spec.memoryMb * 1024 * 1024 * (0.2 + (parseInt(snapshotId.replace(/-/g, '').slice(0, 6), 16) / 0xffffff) * 0.5));
  /** Whether a write for `d` would change anything (then it takes the cloud's time). */
  const differs = (row: { spec: unknown; generation: number } | undefined, d: EngineDeployment, spec: unknown) =>
    !row || (row.generation <= d.generation && !jsonEqual(row.spec, spec));

  const infra: InfraEngine = {
    name: 'sandbox',
    async apply(d, _progress, signal) {
      return faultAround('infra.apply', d, async () => {
        const spec = infraSpec(d);
        if (d.restoreFrom && !(await live(d.id, 'infra')) && !(await live(d.restoreFrom, 'snapshot'))) {
          throw new TerminalError('The snapshot this deployment is restored from no longer exists. Delete this deployment and restore from another snapshot.');
        }
        if (differs(await live(d.id, 'infra'), d, spec)) await sleep(options.latencyMs);
        const row = await put(d, 'infra', spec, { secret: seal(randomBytes(18).toString('base64url')) }, signal);
        return {
          outputs: { host: `${d.name}-${d.id.slice(0, 8)}.${d.spec.region}.sandbox.plinth.dev`, port: 6379, tls: true },
          secrets: { password: unseal(row.secret!) },
          hourlyCostCentiCents: sandboxHourlyCost(spec),
        };
      });
    },
    /** Compares the simulated cloud's infrastructure with the spec, attribute by attribute (see simulateOutOfBand). */
    async plan(d) {
      const row = (await resources(d.id)).find((r) => r.kind === 'infra');
      if (!row) return { drift: true, summary: 'sandbox infrastructure: missing (deleted outside Plinth)' };
      return describeDrift('sandbox infrastructure', infraSpec(d), row.spec as Record<string, unknown>);
    },
    async destroy(d, _progress, signal) {
      await faultAround('infra.destroy', d, async () => {
        if (!(await live(d.id, 'infra'))) return;
        await sleep(options.latencyMs);
        await destroy(d.id, 'infra', signal);
      });
    },
    async snapshot(d, snapshotId, signal) {
      return faultAround('infra.snapshot', d, async () => {
        if (!(await live(d.id, 'infra'))) throw new TerminalError('There is no infrastructure to take a snapshot of: the deployment was deleted or not created yet.');
        if (!(await live(snapshotId, 'snapshot'))) {
          await sleep(options.latencyMs);
          await mayAct(signal);
          await db
            .insert(sandboxResources)
            .values({ deploymentId: snapshotId, kind: 'snapshot', spec: { deploymentId: d.id, memoryMb: d.spec.memoryMb, version: d.spec.version } })
            .onConflictDoNothing({ target: [sandboxResources.deploymentId, sandboxResources.kind], where: isNull(sandboxResources.destroyedAt) });
        }
        return { sizeBytes: snapshotSize(d, snapshotId) };
      });
    },
    async deleteSnapshot(snapshotId, signal) {
      await destroy(snapshotId, 'snapshot', signal);
    },
  };

  const delivery: DeliveryEngine = {
    name: 'sandbox',
    async sync(d, values, _progress, signal) {
      await faultAround('app.sync', d, async () => {
        const readyAt = sql`now() + make_interval(secs => ${options.latencyMs / 1000})`;
        if (differs(await live(d.id, 'app'), d, values)) await put(d, 'app', values, { readyAt }, signal);
      });
    },
    async status(d) {
      // Ready on the database's clock, the clock readyAt was set by.
      const row = (await resources(d.id)).find((r) => r.kind === 'app');
      if (!row) return { sync: 'OutOfSync', health: 'Missing', revision: '' };
      if (row.fault === 'unhealthy' || row.fault === 'stuck') {
        return { sync: 'Synced', health: 'Degraded', revision: String(row.revision), message: 'redis container is crash-looping (injected fault)' };
      }
      return { sync: 'Synced', health: row.ready ? 'Healthy' : 'Progressing', revision: String(row.revision) };
    },
    /** A rollout restart: cures an injected `unhealthy`, not a `stuck` one. */
    async restart(d, _progress, signal) {
      await mayAct(signal);
      await db
        .update(sandboxResources)
        .set({ injectedFault: sql`case when ${sandboxResources.injectedFault} = 'unhealthy' then null else ${sandboxResources.injectedFault} end`, revision: sql`${sandboxResources.revision} + 1` })
        .where(and(eq(sandboxResources.deploymentId, d.id), eq(sandboxResources.kind, 'app'), isNull(sandboxResources.destroyedAt)));
    },
    async probe(d) {
      const row = (await resources(d.id)).find((r) => r.kind === 'app');
      if (row?.fault === 'unreachable') return { ok: false, message: 'the endpoint does not answer (injected fault)' };
      return { ok: true, message: 'PONG' };
    },
    async remove(d, _progress, signal) {
      return faultAround('app.remove', d, async () => {
        if (await live(d.id, 'app')) {
          await sleep(options.latencyMs / 2);
          await destroy(d.id, 'app', signal);
        }
        return 'gone' as const;
      });
    },
  };

  return { infra, delivery, options };
}

/** "resource: attribute before → after" for every attribute where what exists differs from what was applied. */
export function describeDrift(resource: string, wanted: Record<string, unknown>, found: Record<string, unknown>) {
  const changes = Object.keys({ ...wanted, ...found })
    .filter((k) => !jsonEqual(wanted[k], found[k]))
    .map((k) => `${resource}: ${k} ${JSON.stringify(wanted[k])} → ${JSON.stringify(found[k])}`);
  return { drift: changes.length > 0, summary: changes.length > 0 ? changes.join('; ') : 'no changes' };
}

/**
 * The sandbox's out-of-band changes, as someone with console access to the cloud would make them: edit the live
 * infrastructure's attributes, or break the app. Used by tests and the staff console's sandbox tools.
 */
export async function simulateOutOfBand(
  db: Db,
  deploymentId: string,
  change: { infra: Record<string, unknown> } | { fault: 'unhealthy' | 'stuck' | 'unreachable' | null },
): Promise<boolean> {
  const live = and(eq(sandboxResources.deploymentId, deploymentId), isNull(sandboxResources.destroyedAt));
  const rows =
    'infra' in change
      ? await db
          .update(sandboxResources)
          .set({ spec: sql`${sandboxResources.spec} || ${JSON.stringify(change.infra)}::jsonb` })
          .where(and(live, eq(sandboxResources.kind, 'infra')))
          .returning({ id: sandboxResources.id })
      : await db
          .update(sandboxResources)
          .set({ injectedFault: change.fault })
          .where(and(live, eq(sandboxResources.kind, 'app')))
          .returning({ id: sandboxResources.id });
  return rows.length > 0;
}
