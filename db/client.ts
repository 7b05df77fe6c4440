/**
 * Opens the database: PGlite (Postgres in WASM) under a data directory when no URL is given, a Postgres server
 * through postgres.js otherwise. Both expose the same drizzle API, typed as `Db`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { sql } from 'drizzle-orm';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or an open transaction: services accept both so callers can compose them. */
export type DbOrTx = Db | Tx;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** LISTEN on a channel; resolves to a function that stops listening. */
  listen: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
  close: () => Promise<void>;
};

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');

/**
 * `target` is a postgres:// URL, a directory for PGlite, or `memory://` for a throwaway PGlite (tests).
 * Migrations are applied before the handle is returned.
 */
export async function openDatabase(target: string, opts: { migrate?: boolean } = {}): Promise<Database> {
  if (/^postgres(ql)?:\/\//.test(target)) {
    const { default: postgres } = await import('postgres');
    const client = postgres(target, { max: 10, onnotice: () => {} });
    const db = drizzlePostgres({ client, schema, casing: 'snake_case' });
    // An app role that owns nothing (docs/database-roles.md) cannot run the migrator; its owner does, beforehand.
    if (opts.migrate === false) return postgresDatabase(db, client);
    // Several processes may start at once against one server: serialize their migrations on one connection
    // that holds an advisory lock (the lock dies with the connection if the process does).
    const lockClient = postgres(target, { max: 1, onnotice: () => {} });
    try {
      const lockDb = drizzlePostgres({ client: lockClient, casing: 'snake_case' });
      await lockDb.execute(sql`select pg_advisory_lock(7411001)`);
      await migratePostgres(lockDb, { migrationsFolder });
    } finally {
      await lockClient.end({ timeout: 5 });
    }
    return postgresDatabase(db, client);
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const release = target === 'memory://' ? () => {} : lockDataDir(target);
  const client = target === 'memory://' ? new PGlite() : new PGlite(target);
  const db = drizzlePglite({ client, schema, casing: 'snake_case' });
  await migratePglite(db, { migrationsFolder });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    listen: (channel, onNotify) => client.listen(channel, () => onNotify()),
    close: async () => {
      await client.close();
      release();
    },
  };
}

function postgresDatabase(db: Db, client: import('postgres').Sql): Database {
  return {
    db,
    kind: 'postgres',
    listen: async (channel, onNotify) => {
      const { unlisten } = await client.listen(channel, () => onNotify());
      return unlisten;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * PGlite is single-process: a second process opening the same directory would corrupt it. A pid file next to
 * the directory makes the second opener stop with an explanation instead. A lock left by a dead process is taken over.
 */
function lockDataDir(dir: string): () => void {
  const lockFile = `${dir}.lock`;
  mkdirSync(path.dirname(lockFile), { recursive: true });
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `The embedded database in ${dir} is in use by process ${holder} (probably Plinth itself). ` +
          'Stop that process first, or set DATABASE_URL to use a Postgres server that many processes can share.',
      );
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
