/**
 * The full-size SIGKILL/fault run (the crash test runs a smaller one of the same shape): 3 worker processes on
 * the Postgres server, one SIGKILLed every 2–5 s, 1,000 creates, then 300 resizes and 200 deletes interleaved,
 * 30% transient engine faults. Prints the time from the last request to quiet and what the cloud holds wrongly.
 *
 *   npx tsx bench/chaos.ts    (CHAOS_CREATES / CHAOS_DELETES / CHAOS_RESIZES to change the size; the server is
 *                              BENCH_POSTGRES_URL like every benchmark's)
 */
import { openTestDatabase } from '~/test/harness';
import { runChaos } from '~/test/chaos';

const print = (name: string, value: number | string, unit = '') => console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);
const t = await openTestDatabase('postgres', { server: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
try {
  const r = await runChaos(t, {
    creates: Number(process.env.CHAOS_CREATES ?? 1000),
    deletes: Number(process.env.CHAOS_DELETES ?? 200),
    resizes: Number(process.env.CHAOS_RESIZES ?? 300),
    workers: 3,
    killMinMs: 2000,
    killMaxMs: 5000,
    transientFaultRate: 0.3,
    latencyMs: 50,
    leaseMs: 2000,
    quietTimeoutMs: Number(process.env.CHAOS_BOUND_MS ?? 600_000),
    log: (m) => console.error(`[chaos] ${m}`),
  });
  print('chaos_last_request_to_quiet', (r.lastRequestToQuietMs / 1000).toFixed(1), 's');
  print('chaos_kills', r.kills, 'kills');
  print('chaos_not_converged', r.notConverged, 'deployments');
  print('chaos_orphaned', r.orphaned, 'resources');
  print('chaos_created_twice', r.createdTwice, 'resources');
  print('chaos_cloud_spec_mismatch', r.mismatched, 'deployments');
} finally {
  await t.drop();
}
process.exit(0);
