/**
 * Worker processes for crash tests: `npm run worker` spawned with env, SIGKILLed, paused (SIGSTOP/SIGCONT) or
 * stopped (SIGTERM) at will, cleaned up at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { TEST_SECRET_KEY, type TestDb } from './harness';

const root = path.resolve(import.meta.dirname, '..');

export type WorkerProcess = ChildProcess & { output: string[] };

export function workerPool(o: { quiet?: boolean } = {}) {
  const children: WorkerProcess[] = [];
  const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
  const kill = (child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') =>
    new Promise<void>((resolve) => {
      if (!alive(child)) return resolve();
      child.once('exit', () => resolve());
      if (signal === 'SIGKILL') child.kill('SIGCONT'); // a paused process must not stay paused
      child.kill(signal);
    });
  return {
    /** Starts a worker process against `databaseUrl`; `env` adds engine settings. */
    spawn(databaseUrl: string, env: Record<string, string | undefined>): WorkerProcess {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          DATA_DIR: mkdtempSync(path.join(tmpdir(), 'plinth-worker-')),
          PLINTH_SECRET_KEY: TEST_SECRET_KEY.toString('base64url'),
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }) as WorkerProcess;
      child.output = [];
      for (const stream of [child.stdout!, child.stderr!]) {
        stream.on('data', (b: Buffer) => {
          child.output.push(...b.toString().split('\n').filter(Boolean));
          if (!o.quiet) process.stderr.write(`[worker ${child.pid}] ${b}`);
        });
      }
      children.push(child);
      return child;
    },
    kill,
    /** Pauses the process (no timer, no I/O) until resume(): a long GC, a VM migration, a debugger. */
    pause: (child: ChildProcess) => void child.kill('SIGSTOP'),
    resume: (child: ChildProcess) => void child.kill('SIGCONT'),
    /** SIGTERM, and the exit code once it has exited. */
    terminate: (child: ChildProcess) =>
      new Promise<number | null>((resolve) => {
        if (!alive(child)) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
    killAll: async () => {
      for (const c of children) await kill(c);
    },
  };
}

/** The URL of a test database on the Postgres server, for child processes. */
export async function databaseUrl(t: TestDb): Promise<string> {
  const rows = await t.db.execute<{ db: string }>(sql`select current_database() as db`);
  const u = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  u.pathname = `/${(rows as unknown as Array<{ db: string }>)[0]!.db}`;
  return u.toString();
}
