/**
 * The sandbox engines: a simulated cloud with the engines' interfaces, kept in the `sandbox_resources` table so
 * every worker process sees the same cloud. Latency and faults are configurable (and mutable, for tests).
 *
 * The sandbox reports no per-resource progress (a real engine such as Terraform does); the reconciler's own
 * events say what it asked for and how long it took.
 *
 * Creation is deliberately check-then-insert with the latency in between, like a real cloud API: if two workers
 * ever applied the same deployment at once, two live resources would appear and the tests would see it.
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
  random?: () => number;
  /** Seals the simulated cloud's copy of each password (default: PLINTH_SECRET_KEY, like deployment secrets). */
  secretKey?: Buffer;
};

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export function createSandboxEngines(db: Db, options: SandboxOptions): Engines & { options: SandboxOptions } {
  const random = () => (options.random ?? Math.random)();
  // The sandbox keeps each password (a re-apply must return the same one) sealed like the real secret; rows
  // written before this change hold plain text (never `v1.…`: base64url has no dots) and are still read.
  const key = () => options.secretKey ?? requireSecretKey(env);
  const seal = (password: string) => encryptSecret(key(), password);
  const unseal = (stored: string) => (stored.startsWith('v1.') ? decryptSecret(key(), stored) : stored);

  /** Injected faults strike before or after the side effect: a timeout after the cloud did the work is the hard case. */
  function fault(call: string, d: EngineDeployment) {
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
  const destroy = (deploymentId: string, kind: string) =>
    db
      .update(sandboxResources)
      .set({ destroyedAt: sql`now()` })
      .where(and(eq(sandboxResources.deploymentId, deploymentId), eq(sandboxResources.kind, kind), isNull(sandboxResources.destroyedAt)));

  const infraSpec = (d: EngineDeployment) => ({
    tier: d.tier,
    region: d.spec.region,
    memoryMb: d.spec.memoryMb,
    replicas: d.spec.replicas,
    persistence: d.spec.persistence,
  });

  const infra: InfraEngine = {
    name: 'sandbox',
    async apply(d) {
      return faultAround('infra.apply', d, async () => {
        let row = await live(d.id, 'infra');
        const spec = infraSpec(d);
        if (!row) {
          await sleep(options.latencyMs);
          [row] = await db
            .insert(sandboxResources)
            .values({ deploymentId: d.id, kind: 'infra', spec, secret: seal(randomBytes(18).toString('base64url')) })
            .returning();
        } else if (!jsonEqual(row.spec, spec)) {
          await sleep(options.latencyMs);
          await db.update(sandboxResources).set({ spec, revision: sql`${sandboxResources.revision} + 1` }).where(eq(sandboxResources.id, row.id));
        }
        return {
          outputs: { host: `${d.name}-${d.id.slice(0, 8)}.${d.spec.region}.sandbox.plinth.dev`, port: 6379, tls: true },
          secrets: { password: unseal(row!.secret!) },
        };
      });
    },
    async plan(d) {
      const row = await live(d.id, 'infra');
      const drift = !row || !jsonEqual(row.spec, infraSpec(d));
      return { drift, summary: drift ? 'infrastructure differs from the spec' : 'no changes' };
    },
    async destroy(d) {
      await faultAround('infra.destroy', d, async () => {
        if (!(await live(d.id, 'infra'))) return;
        await sleep(options.latencyMs);
        await destroy(d.id, 'infra');
      });
    },
  };

  const delivery: DeliveryEngine = {
    name: 'sandbox',
    async sync(d, values) {
      await faultAround('app.sync', d, async () => {
        const row = await live(d.id, 'app');
        const readyAt = sql`now() + make_interval(secs => ${options.latencyMs / 1000})`;
        if (!row) {
          await db.insert(sandboxResources).values({ deploymentId: d.id, kind: 'app', spec: values, readyAt });
        } else if (!jsonEqual(row.spec, values)) {
          await db
            .update(sandboxResources)
            .set({ spec: values, revision: sql`${sandboxResources.revision} + 1`, readyAt })
            .where(eq(sandboxResources.id, row.id));
        }
      });
    },
    async status(d) {
      const row = await live(d.id, 'app');
      if (!row) return { sync: 'OutOfSync', health: 'Missing', revision: '' };
      return { sync: 'Synced', health: row.readyAt.getTime() <= Date.now() ? 'Healthy' : 'Progressing', revision: String(row.revision) };
    },
    async remove(d) {
      return faultAround('app.remove', d, async () => {
        if (await live(d.id, 'app')) {
          await sleep(options.latencyMs / 2);
          await destroy(d.id, 'app');
        }
        return 'gone' as const;
      });
    },
  };

  return { infra, delivery, options };
}
