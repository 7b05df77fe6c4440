/**
 * The pg backend, as Terraform implements it: `terraform_remote_state.states(id, name, data)`, one row per
 * workspace, session-level advisory locks on the row id (-1 while the row is being created). Plus what a real
 * backend has no need for: `terraform_emulator.cloud`, every "cloud" resource ever created and when it was
 * destroyed, so tests can prove nothing is orphaned or created twice.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';

export function connect() {
  const url = process.env.PG_CONN_STR;
  if (!url) return null;
  // Like lib/pq: SSL is required unless sslmode says otherwise.
  const mode = new URL(url).searchParams.get('sslmode') ?? 'require';
  return postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10, ssl: ['disable', 'allow', 'prefer'].includes(mode) ? false : 'require' });
}

/** A database error as the pg backend reports it (lib/pq prefixes `pq: `). */
export function backendError(e) {
  if (/does not support SSL|before secure TLS connection/i.test(e.message)) return 'pq: SSL is not enabled on the server';
  if (e.code && /^[0-9A-Z]{5}$/.test(e.code)) return `pq: ${e.message}`;
  return null;
}

export async function ensureSchema(sql) {
  // Several inits can race on a fresh database: serialise the DDL like the real backend's creation lock does.
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(-424242)`;
    await tx.unsafe(`create schema if not exists terraform_remote_state`);
    await tx.unsafe(`create sequence if not exists public.global_states_id_seq as bigint`);
    await tx.unsafe(`create table if not exists terraform_remote_state.states (id bigint not null default nextval('public.global_states_id_seq') primary key, name text unique, data text)`);
    await tx.unsafe(`create unique index if not exists states_by_name on terraform_remote_state.states (name)`);
    await tx.unsafe(`create schema if not exists terraform_emulator`);
    await tx.unsafe(`create table if not exists terraform_emulator.cloud (id bigserial primary key, workspace text not null, address text not null, created_at timestamptz not null default now(), destroyed_at timestamptz)`);
  });
}

export const emptyState = (tfVersion) => ({ version: 4, terraform_version: tfVersion, serial: 0, lineage: randomUUID(), outputs: {}, resources: [] });

export async function readState(sql, workspace) {
  const [row] = await sql`select id, data from terraform_remote_state.states where name = ${workspace}`;
  return row ? { id: Number(row.id), state: JSON.parse(row.data || 'null') } : null;
}

export async function createWorkspace(sql, workspace, tfVersion) {
  await sql`insert into terraform_remote_state.states (name, data) values (${workspace}, ${JSON.stringify(emptyState(tfVersion))}) on conflict (name) do nothing`;
}

export async function deleteWorkspace(sql, workspace) {
  await sql`delete from terraform_remote_state.states where name = ${workspace}`;
}

/**
 * Takes the workspace lock for this session, retrying for `timeoutMs` (terraform's -lock-timeout) with
 * terraform's backoff; false when another session still holds it.
 */
export async function lock(sql, workspace, timeoutMs = 0) {
  const until = Date.now() + timeoutMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    if (await tryLock(sql, workspace)) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, until - Date.now()))));
  }
}

async function tryLock(sql, workspace) {
  const [row] = await sql`select states.id, pg_try_advisory_lock(states.id) as ok from terraform_remote_state.states where states.name = ${workspace}`;
  if (row) return row.ok;
  const [creation] = await sql`select pg_try_advisory_lock(-1) as ok`;
  return creation.ok;
}

/** Writes the workspace's state (what Terraform persists to the backend). */
export async function writeState(sql, workspace, state) {
  await sql`insert into terraform_remote_state.states (name, data) values (${workspace}, ${JSON.stringify(state)})
    on conflict (name) do update set data = excluded.data`;
}

/** The cloud's side of one resource change: happens when the API call returns, whatever state records. */
export async function recordCloud(sql, workspace, change) {
  if (change.action === 'create') await sql`insert into terraform_emulator.cloud (workspace, address) values (${workspace}, ${change.address})`;
  if (change.action === 'delete') {
    await sql`update terraform_emulator.cloud set destroyed_at = now() where workspace = ${workspace} and address = ${change.address} and destroyed_at is null`;
  }
}
