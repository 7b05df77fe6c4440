#!/usr/bin/env node
/**
 * `plinth`: the command line for the REST API (docs/cli.md). Plain ESM JavaScript so `npx plinth` runs without a
 * build step. Exit codes scripts can rely on:
 *   0 ok · 1 server or network error · 2 usage error · 3 not signed in / not allowed (401/403)
 *   4 not found · 5 conflict or stale generation (409/412) · 6 invalid input (400/422)
 *   7 wait timed out · 8 the deployment failed while waiting
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Command, CommanderError, Option } from 'commander';

const EXIT = { ok: 0, server: 1, usage: 2, auth: 3, notFound: 4, conflict: 5, invalid: 6, timeout: 7, failed: 8 };

class CliError extends Error {
  constructor(message, code, body) {
    super(message);
    this.code = code;
    this.body = body;
  }
}

const configDir = () => path.join(process.env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'plinth');
const configFile = () => path.join(configDir(), 'config.json');

function readConfig() {
  try {
    return JSON.parse(readFileSync(configFile(), 'utf8'));
  } catch {
    return {};
  }
}

/** The key is a secret: the directory is 0700 and the file 0600, whatever the umask says. */
function writeConfig(config) {
  mkdirSync(configDir(), { recursive: true, mode: 0o700 });
  chmodSync(configDir(), 0o700);
  writeFileSync(configFile(), JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  chmodSync(configFile(), 0o600);
}

function settings(cmd) {
  const o = cmd.optsWithGlobals();
  const saved = readConfig();
  const apiUrl = (o.apiUrl || process.env.PLINTH_API_URL || saved.apiUrl || 'http://localhost:3000').replace(/\/$/, '');
  const key = process.env.PLINTH_API_KEY || saved.key;
  const org = o.org || process.env.PLINTH_ORG || saved.org;
  return { apiUrl, key, org, json: !!o.json };
}

const statusCode = (status) =>
  status === 401 || status === 403 ? EXIT.auth : status === 404 ? EXIT.notFound : status === 409 || status === 412 ? EXIT.conflict : status === 400 || status === 422 ? EXIT.invalid : EXIT.server;

async function api(s, method, route, { body, headers = {}, query } = {}) {
  if (!s.key) throw new CliError('Not signed in. Run: plinth login --org <org> (or set PLINTH_API_KEY).', EXIT.auth);
  if (!s.org) throw new CliError('Which organization? Pass --org <slug|id>, set PLINTH_ORG, or log in with --org.', EXIT.usage);
  const qs = query ? `?${new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined))}` : '';
  const url = `${s.apiUrl}/api/v1/orgs/${encodeURIComponent(s.org)}${route}${qs}`;
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${s.key}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    throw new CliError(`Could not reach ${s.apiUrl}: ${e.cause?.message ?? e.message}`, EXIT.server);
  }
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { message: text.slice(0, 300) };
  }
  if (!res.ok) throw new CliError(data?.message ?? `HTTP ${res.status}`, statusCode(res.status), data);
  return { data, etag: res.headers.get('etag') };
}

function print(s, value, human) {
  if (s.json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  else process.stdout.write(human(value) + '\n');
}

const table = (rows, cols) => {
  if (rows.length === 0) return '(none)';
  const widths = cols.map(([h, f]) => Math.max(h.length, ...rows.map((r) => String(f(r) ?? '').length)));
  const line = (cells) => cells.map((c, i) => String(c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(cols.map(([h]) => h)), ...rows.map((r) => line(cols.map(([, f]) => f(r))))].join('\n');
};

const describe = (d) =>
  [
    `${d.name}  (${d.id})`,
    `  phase       ${d.phase}${d.deletionRequestedAt ? ' (deletion requested)' : ''}`,
    `  plan        ${d.planName} · ${d.spec.memoryMb} MB · ${d.spec.replicas} replicas · Redis ${d.spec.version} · ${d.spec.region}`,
    `  generation  ${d.generation} (observed ${d.observedGeneration})`,
    d.outputs ? `  endpoint    ${d.outputs.host}:${d.outputs.port}${d.outputs.tls ? ' (TLS)' : ''}` : null,
    d.lastError ? `  last error  ${d.lastError}` : null,
  ]
    .filter(Boolean)
    .join('\n');

const program = new Command()
  .name('plinth')
  .description('Manage Plinth deployments from the command line.')
  .option('--api-url <url>', 'the Plinth server (PLINTH_API_URL; default: saved by login, or http://localhost:3000)')
  .option('--org <org>', 'organization slug or id (PLINTH_ORG; default: saved by login)')
  .option('--json', 'print JSON for scripts')
  .showHelpAfterError()
  .exitOverride();

program
  .command('login')
  .description('Save an API key (create one under Settings → API keys) in your config directory, readable only by you')
  .option('--org <org>', 'the key’s organization (slug or id); required')
  .option('--key <key>', 'the API key (default: read from standard input)')
  .action(async (o, cmd) => {
    const s = settings(cmd);
    o.org = o.org ?? cmd.optsWithGlobals().org;
    if (!o.org) throw new CliError('Say which organization the key belongs to: plinth login --org <slug|id>.', EXIT.usage);
    let key = o.key;
    if (!key) {
      if (process.stdin.isTTY) process.stderr.write('API key: ');
      const chunks = [];
      for await (const c of process.stdin) chunks.push(c);
      key = Buffer.concat(chunks).toString('utf8').trim();
    }
    if (!key) throw new CliError('No API key given. Pass --key or pipe it in.', EXIT.usage);
    // Check it before saving: a typo should fail here, not in the next script.
    await api({ ...s, key, org: o.org }, 'GET', '/deployments', { query: { limit: '1' } });
    writeConfig({ apiUrl: s.apiUrl, org: o.org, key });
    print(s, { ok: true, org: o.org, apiUrl: s.apiUrl, configFile: configFile() }, (v) => `Logged in to ${v.apiUrl} for ${v.org}. Key saved in ${v.configFile} (mode 600).`);
  });

const deployments = program.command('deployments').alias('d').description('List, create, change and delete deployments');

deployments
  .command('list')
  .description('List deployments, newest first')
  .option('--limit <n>', 'at most this many', '100')
  .action(async (o, cmd) => {
    const s = settings(cmd);
    const all = [];
    let cursor;
    do {
      const { data } = await api(s, 'GET', '/deployments', { query: { limit: String(Math.min(100, Number(o.limit) - all.length)), cursor } });
      all.push(...data.data);
      cursor = data.nextCursor ?? undefined;
    } while (cursor && all.length < Number(o.limit));
    print(s, all, (rows) => table(rows, [['NAME', (r) => r.name], ['PHASE', (r) => r.phase], ['PLAN', (r) => r.planName], ['MEMORY', (r) => `${r.memoryMb} MB`], ['VERSION', (r) => r.version], ['REGION', (r) => r.region], ['ID', (r) => r.id]]));
  });

/** A deployment by id or by name (names are unique among live deployments of an org). */
async function resolve(s, ref) {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref)) return ref;
  let cursor;
  do {
    const { data } = await api(s, 'GET', '/deployments', { query: { limit: '100', cursor } });
    const hit = data.data.find((d) => d.name === ref);
    if (hit) return hit.id;
    cursor = data.nextCursor ?? undefined;
  } while (cursor);
  throw new CliError(`No deployment named "${ref}" in ${s.org}.`, EXIT.notFound);
}

deployments
  .command('get <deployment>')
  .description('Show one deployment (name or id)')
  .action(async (ref, _o, cmd) => {
    const s = settings(cmd);
    const { data } = await api(s, 'GET', `/deployments/${await resolve(s, ref)}`);
    print(s, data, describe);
  });

deployments
  .command('create <name>')
  .description('Create a deployment')
  .requiredOption('--plan <plan>', 'plan slug, e.g. starter')
  .requiredOption('--region <region>', 'region id, e.g. eu-west-1')
  .requiredOption('--version <version>', 'Redis version, e.g. 7.2.5')
  .option('--memory <mb>', 'memory in MB')
  .option('--replicas <n>', 'replicas')
  .option('--idempotency-key <key>', 'make a retried create safe (default: a new UUID)')
  .action(async (name, o, cmd) => {
    const s = settings(cmd);
    const body = { name, plan: o.plan, region: o.region, version: o.version, ...(o.memory ? { memoryMb: Number(o.memory) } : {}), ...(o.replicas ? { replicas: Number(o.replicas) } : {}) };
    const { data } = await api(s, 'POST', '/deployments', { body, headers: { 'idempotency-key': o.idempotencyKey ?? randomUUID() } });
    print(s, data, (d) => `${d.created === false ? 'Already created' : 'Creating'} ${name} (${d.id}). Follow it with: plinth wait ${d.id}`);
  });

/** Reads the current generation and sends the change with If-Match, so a concurrent change is not overwritten. */
async function change(s, ref, method, route, body) {
  const id = await resolve(s, ref);
  const { etag } = await api(s, 'GET', `/deployments/${id}`);
  const { data } = await api(s, method, `/deployments/${id}${route}`, { body, headers: { 'if-match': etag } });
  return data;
}

deployments
  .command('resize <deployment>')
  .description('Change memory, replicas or plan')
  .option('--memory <mb>', 'memory in MB')
  .option('--replicas <n>', 'replicas')
  .option('--plan <plan>', 'plan slug')
  .action(async (ref, o, cmd) => {
    const s = settings(cmd);
    const body = { ...(o.memory ? { memoryMb: Number(o.memory) } : {}), ...(o.replicas ? { replicas: Number(o.replicas) } : {}), ...(o.plan ? { plan: o.plan } : {}) };
    if (Object.keys(body).length === 0) throw new CliError('Say what to change: --memory, --replicas or --plan.', EXIT.usage);
    const data = await change(s, ref, 'PATCH', '', body);
    print(s, data, (d) => `Accepted: generation ${d.generation}. Follow it with: plinth wait ${d.id}`);
  });

deployments
  .command('upgrade <deployment>')
  .description('Upgrade to a newer version')
  .requiredOption('--version <version>', 'the version to upgrade to')
  .action(async (ref, o, cmd) => {
    const s = settings(cmd);
    const data = await change(s, ref, 'POST', '/upgrade', { version: o.version });
    print(s, data, (d) => `Accepted: generation ${d.generation}. Follow it with: plinth wait ${d.id}`);
  });

for (const [verb, description] of [
  ['stop', 'Stop: scale the app to zero, keep the infrastructure and data (storage is still billed)'],
  ['start', 'Start a stopped deployment again'],
]) {
  deployments
    .command(`${verb} <deployment>`)
    .description(description)
    .action(async (ref, _o, cmd) => {
      const s = settings(cmd);
      const data = await change(s, ref, 'POST', `/${verb}`, {});
      print(s, data, (d) => `Accepted: generation ${d.generation}. Follow it with: plinth wait ${d.id}`);
    });
}

deployments
  .command('delete <deployment>')
  .description('Delete a deployment and everything it created')
  .option('--yes', 'confirm (required)')
  .action(async (ref, o, cmd) => {
    const s = settings(cmd);
    if (!o.yes) throw new CliError('Deleting cannot be undone: pass --yes to confirm.', EXIT.usage);
    const id = await resolve(s, ref);
    const { data: d } = await api(s, 'GET', `/deployments/${id}`);
    const { data } = await api(s, 'DELETE', `/deployments/${id}`, { body: { confirmName: d.name } });
    print(s, data, () => `Deleting ${d.name}. Follow it with: plinth wait ${id} --for deleted`);
  });

program
  .command('wait <deployment>')
  .description('Wait until a deployment is ready (or stopped, or deleted), showing its progress')
  .addOption(new Option('--for <state>', 'what to wait for').choices(['ready', 'stopped', 'deleted']).default('ready'))
  .option('--timeout <seconds>', 'give up after this long (exit 7)', '600')
  .option('--interval <seconds>', 'poll every', '2')
  .action(async (ref, o, cmd) => {
    const s = settings(cmd);
    const id = await resolve(s, ref);
    const deadline = Date.now() + Number(o.timeout) * 1000;
    let last = '';
    for (;;) {
      let d;
      try {
        d = (await api(s, 'GET', `/deployments/${id}`)).data;
      } catch (e) {
        if (o.for === 'deleted' && e.code === EXIT.notFound) d = { phase: 'deleted' };
        else throw e;
      }
      const converged = d.observedGeneration === d.generation;
      const line = `${d.phase}${o.for !== 'deleted' && !converged ? ` (generation ${d.observedGeneration}/${d.generation})` : ''}`;
      if (line !== last && !s.json) process.stderr.write(`${new Date().toISOString().slice(11, 19)}  ${line}\n`);
      last = line;
      if (o.for === 'ready' && d.phase === 'ready' && converged) return print(s, d, () => `${d.name} is ready.`);
      if (o.for === 'stopped' && d.phase === 'stopped' && converged) return print(s, d, () => `${d.name} is stopped.`);
      if (o.for === 'deleted' && d.phase === 'deleted') return print(s, { id, phase: 'deleted' }, () => 'Deleted.');
      if (d.phase === 'failed' && o.for !== 'deleted') throw new CliError(`The deployment failed: ${d.lastError ?? 'no reason recorded'}. Plinth retries with a backoff; see plinth deployments get ${id}.`, EXIT.failed, d);
      if (Date.now() > deadline) throw new CliError(`Still ${d.phase} after ${o.timeout} s; giving up (the change goes on).`, EXIT.timeout, d);
      await new Promise((r) => setTimeout(r, Number(o.interval) * 1000));
    }
  });

program
  .command('usage')
  .description('Usage over a range, by deployment')
  .option('--from <date>', 'start (default: 30 days ago)')
  .option('--to <date>', 'end (default: now)')
  .addOption(new Option('--granularity <g>').choices(['hour', 'day']).default('day'))
  .action(async (o, cmd) => {
    const s = settings(cmd);
    const to = o.to ?? new Date().toISOString();
    const from = o.from ?? new Date(Date.now() - 30 * 86_400_000).toISOString();
    const { data } = await api(s, 'GET', '/usage', { query: { from, to, granularity: o.granularity } });
    print(s, data, (u) => table(u.byDeployment, [['DEPLOYMENT', (r) => r.name], ['HOURS', (r) => r.hours.toFixed(1)], ['GB-HOURS', (r) => r.gbHours.toFixed(1)], ['AMOUNT', (r) => `$${(r.amountCentiCents / 10000).toFixed(2)}`]]));
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : EXIT.usage);
  const json = process.argv.includes('--json');
  const code = e instanceof CliError ? e.code : EXIT.server;
  if (json) process.stdout.write(JSON.stringify({ error: { message: e.message, exitCode: code, ...(e.body && typeof e.body === 'object' ? { code: e.body.code, field: e.body.field ?? null } : {}) } }, null, 2) + '\n');
  process.stderr.write(`plinth: ${e.message}\n`);
  process.exit(code);
}
