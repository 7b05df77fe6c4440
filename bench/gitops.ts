/**
 * The GitOps repository under a fleet rollout: 4 worker processes (each its own createGitOps and work dir, as
 * real workers are) write 2,000 deployment changes in total to one local bare repository, 16 at a time each
 * (the default worker concurrency). Every deployment is written at generation 1, then 2, by the worker that
 * holds it. A write that is rejected, or a folder not at its final generation afterwards, is a failed write.
 *
 * Like real workers on one Postgres server, the writers queue their edits in a fresh database on
 * BENCH_POSTGRES_URL and whoever holds the repository's turn commits them all (gitops-group.ts); GITOPS_MODE=none
 * measures them without it, each committing its own edits and racing the others' pushes.
 *
 *   npx tsx bench/gitops.ts    (GITOPS_CHANGES / GITOPS_WORKERS / GITOPS_CONCURRENCY to change the size)
 */
import { randomBytes } from 'node:crypto';
import { execFileSync, fork } from 'node:child_process';
import postgres from 'postgres';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '~/db/client';
import { createGitOps } from '~/server/reconciler/engines/gitops';
import { groupCommits } from '~/server/reconciler/engines/gitops-group';

type Done = { ok: number; failed: number; start: number; end: number; errors: string[] };
const CONCURRENCY = Number(process.env.GITOPS_CONCURRENCY ?? 16);
const GENERATIONS = 2;
const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const mode = process.env.GITOPS_MODE === 'none' ? 'none' : 'group';

async function worker(repo: string, dir: string, index: number, changes: number, databaseUrl: string): Promise<Done> {
  const database = mode === 'none' ? null : await openDatabase(databaseUrl, { migrate: false });
  const gitops = createGitOps({
    repoUrl: repo,
    branch: 'main',
    workDir: dir,
    ...(database && mode === 'group' ? { group: groupCommits(database, repo) } : {}),
  });
  const ids = Array.from({ length: Math.ceil(changes / GENERATIONS) }, (_, i) => `w${index}-d${String(i).padStart(5, '0')}`);
  const out: Done = { ok: 0, failed: 0, start: Date.now(), end: 0, errors: [] };
  let next = 0;
  const one = async (id: string) => {
    for (let generation = 1; generation <= GENERATIONS; generation++) {
      try {
        const config = JSON.stringify({ id, generation: String(generation), memoryMb: 512 * generation });
        const r = await gitops.write(id, { 'config.json': config }, `${id}: generation ${generation}`, { generation });
        if (r.newer !== undefined) throw new Error(`newer generation ${r.newer} already there`);
        out.ok++;
      } catch (e) {
        out.failed++;
        if (out.errors.length < 3) out.errors.push(e instanceof Error ? e.message : String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < ids.length) await one(ids[next++]!);
  }));
  out.end = Date.now();
  await database?.close();
  return out;
}

if (process.argv[2] === 'worker') {
  const [, , , repo, dir, index, changes, databaseUrl] = process.argv;
  // Wait for the go, so that process start-up is not timed.
  process.once('message', async () => {
    process.send!(await worker(repo!, dir!, Number(index), Number(changes), databaseUrl!));
    process.disconnect();
  });
  process.send!('ready');
} else {
  const workers = Number(process.env.GITOPS_WORKERS ?? 4);
  const total = Number(process.env.GITOPS_CHANGES ?? 2000);
  const dir = mkdtempSync(path.join(tmpdir(), 'plinth-bench-gitops-'));
  const repo = path.join(dir, 'gitops.git');
  // The workers create the repository as Plinth creates its default local one (gitops.ts ensureRepo).
  // A fresh database with Plinth's tables (the edit queue), as the workers' own would be.
  const name = `plinth_bench_gitops_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
  await (await openDatabase(databaseUrl)).close();
  try {
    const children = Array.from({ length: workers }, (_, i) =>
      fork(import.meta.filename, ['worker', repo, path.join(dir, `worker-${i}`), String(i), String(total / workers), databaseUrl], { execArgv: ['--import', 'tsx'] }),
    );
    await Promise.all(children.map((c) => new Promise((resolve) => c.once('message', resolve))));
    const results = await Promise.all(
      children.map((c) => {
        const done = new Promise<Done>((resolve) => c.once('message', (m) => resolve(m as Done)));
        c.send('go');
        return done;
      }),
    );
    const start = Math.min(...results.map((r) => r.start));
    const end = Math.max(...results.map((r) => r.end));
    // What the branch holds at the end: every folder at its last generation.
    const listed = execFileSync('git', ['--git-dir', repo, 'ls-tree', '-r', '--name-only', 'main', 'tenants'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const folders = listed.split('\n').filter((l) => l.endsWith('/config.json'));
    let wrong = 0;
    const expected = (total / workers / GENERATIONS) * workers;
    if (folders.length !== expected) wrong += Math.abs(expected - folders.length);
    const blobs = execFileSync('git', ['--git-dir', repo, 'cat-file', '--batch'], { input: folders.map((f) => `main:${f}`).join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
    wrong += (blobs.match(/"generation":"(\d+)"/g) ?? []).filter((g) => g !== `"generation":"${GENERATIONS}"`).length;
    const commits = Number(execFileSync('git', ['--git-dir', repo, 'rev-list', '--count', 'main'], { encoding: 'utf8' }).trim());
    const failed = results.reduce((n, r) => n + r.failed, 0);
    for (const e of results.flatMap((r) => r.errors).slice(0, 3)) console.error(`[gitops] ${e}`);
    const print = (name: string, value: number | string, unit: string) => console.log(`${name}: ${value} ${unit}`);
    print('gitops_changes_per_s', ((total / (end - start)) * 1000).toFixed(1), 'changes/s');
    print('gitops_failed_writes', failed + wrong, 'writes');
    print('gitops_commits', commits, 'commits');
    if (mode === 'none') console.log('[gitops] GITOPS_MODE=none: each writer committed its own edits, racing the others');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
