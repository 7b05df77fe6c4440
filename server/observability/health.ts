/**
 * Liveness and readiness. Live: the process answers (a restart would not help with anything else). Ready: this
 * replica can serve — the database answers, its schema is at the migrations this build ships, the engines passed
 * their start-up check, and the process is not shutting down.
 *
 * Engines are not re-checked per probe: a web replica serves the console without Terraform or Argo CD, and making
 * every replica unready during an Argo CD outage would turn a degraded reconciler into a full outage.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '~/db/client';

const rows = <T>(r: unknown): T[] => (Array.isArray(r) ? (r as T[]) : ((r as { rows: T[] }).rows ?? []));

type ProcessState = { draining?: boolean; enginesChecked?: { infra: string; delivery: string } | { error: string } };
const g = globalThis as unknown as { __plinthProcess?: ProcessState };
const state: ProcessState = (g.__plinthProcess ??= {});

/** Start-up records the engine check's outcome here. */
export function recordEngineCheck(outcome: ProcessState['enginesChecked']): void {
  state.enginesChecked = outcome;
}

/** From the first termination signal on, readiness fails so the load balancer stops sending new requests. */
export function startDraining(): void {
  state.draining = true;
}

/** The newest migration this build ships (db/migrations/meta/_journal.json), read once. */
let shipped: { count: number; when: number; tag: string } | null = null;
export function shippedMigrations(dir = path.join(process.cwd(), 'db', 'migrations')) {
  if (shipped) return shipped;
  const journal = JSON.parse(readFileSync(path.join(dir, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number; tag: string }[] };
  const last = journal.entries.at(-1);
  shipped = { count: journal.entries.length, when: last?.when ?? 0, tag: last?.tag ?? 'none' };
  return shipped;
}

export type Check = { ok: boolean; detail: string };
export type Readiness = { ready: boolean; checks: { database: Check; migrations: Check; engines: Check; shutdown: Check } };

export async function readiness(getDatabase: () => Promise<Database>): Promise<Readiness> {
  const checks: Readiness['checks'] = {
    database: { ok: false, detail: 'not checked' },
    migrations: { ok: false, detail: 'not checked' },
    engines: engineCheck(),
    shutdown: state.draining ? { ok: false, detail: 'draining: this process received a termination signal' } : { ok: true, detail: 'running' },
  };
  try {
    const { db, kind } = await getDatabase();
    await db.execute(sql`select 1`);
    checks.database = { ok: true, detail: kind };
    checks.migrations = await migrationCheck(db);
  } catch (e) {
    // The message names the cause (refused, auth, timeout) without the connection string.
    checks.database = { ok: false, detail: `unavailable: ${(e as Error).message.replace(/postgres(ql)?:\/\/\S+/g, '[url]')}` };
  }
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

function engineCheck(): Check {
  const e = state.enginesChecked;
  if (!e) return { ok: false, detail: 'start-up has not checked the engines yet' };
  if ('error' in e) return { ok: false, detail: e.error };
  return { ok: true, detail: `${e.infra}/${e.delivery}` };
}

async function migrationCheck(db: Database['db']): Promise<Check> {
  const want = shippedMigrations();
  // drizzle's migrator records each applied migration with the journal's `when` as created_at.
  const [applied] = rows<{ n: unknown; last: unknown }>(
    await db.execute(sql`select count(*) as n, max(created_at) as last from drizzle.__drizzle_migrations`),
  );
  const n = Number(applied?.n ?? 0);
  const last = Number(applied?.last ?? 0);
  if (n >= want.count && last >= want.when) return { ok: true, detail: `at ${want.tag} (${n} applied)` };
  return { ok: false, detail: `behind: ${n} of ${want.count} applied; run the migrate job (image: migrate; npm run db:migrate)` };
}
