/**
 * A test-only stand-in for Argo CD: its REST API (bearer token, `?project=` rules, grpc-gateway error bodies)
 * and, behind it, what the ApplicationSet and application controllers do — it watches the GitOps repository,
 * renders deploy/argocd/applicationset.yaml for each tenants/<id>/config.json, and moves Applications through
 * OutOfSync → (sync) → Synced, Missing → Progressing → Healthy, and async cascade deletion. Also what the real
 * server does at the edges (argo-cd server/application/application.go, controller/sync.go): a sync inside a deny
 * sync window is 403 "Cannot sync: Blocked by sync window"; a sync during a running operation is 400
 * "another operation is already in progress"; `?refresh=` re-compares one Application with git and blocks until
 * it has, without running the ApplicationSet generator; ComparisonError conditions, Suspended/Unknown health,
 * operation phases Error and Terminating; AppProject and ApplicationSet reads.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { parse } from 'yaml';
import { render } from './argocd-render';

export type ArgoEmulatorOptions = {
  /** Path of the bare GitOps repository to watch. */
  repo: string;
  branch?: string;
  token?: string;
  /** Projects the token may act on. */
  projects?: string[];
  pollMs?: number;
  syncMs?: number;
  healthMs?: number;
  deleteMs?: number;
  /** Sync on its own when out of sync (the ApplicationSet's automated policy); off to test that Plinth asks. */
  autoSync?: boolean;
  /** Share of application calls answered 503 Unavailable, as during an API server restart. */
  faultRate?: number;
  /** Generate Applications into this project instead of the ApplicationSet's (a misconfiguration to detect). */
  appProject?: string;
};

type App = {
  name: string;
  project: string;
  folder: string;
  tree: string;
  syncedTree: string | null;
  revision: string;
  spec: Record<string, unknown>;
  op: { phase: 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating'; startedAt: number; message: string } | null;
  /** Synced never sticks: a field the cluster rewrites (a perpetual diff). */
  perpetualDiff: boolean;
  comparisonError: string | null;
  healthOverride: { status: string; message: string } | null;
  healthyAt: number | null;
  deleteAt: number | null;
  deletionTimestamp: string | null;
};

type Fault = { method?: string; path?: RegExp; status: number; body?: Record<string, unknown> };
const GRPC: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 409: 10, 500: 2, 503: 14 };

const git = (repo: string, args: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) =>
    execFile('git', ['--git-dir', repo, ...args], (e, out) => resolve({ code: e ? 1 : 0, out: String(out) })),
  );

/** The branch's commit, read from the bare repository's files: polling must not cost a git process. */
function headOf(repo: string, branch: string): string {
  const loose = path.join(repo, 'refs', 'heads', branch);
  if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
  const packed = path.join(repo, 'packed-refs');
  if (!existsSync(packed)) return '';
  const line = readFileSync(packed, 'utf8').split('\n').find((l) => l.endsWith(` refs/heads/${branch}`));
  return line?.split(' ')[0] ?? '';
}

export async function startArgoEmulator(o: ArgoEmulatorOptions) {
  const branch = o.branch ?? 'main';
  const token = o.token ?? 'test-token';
  const projects = o.projects ?? ['plinth-tenants'];
  const appset = parse(readFileSync(path.resolve(import.meta.dirname, '../../deploy/argocd/applicationset.yaml'), 'utf8'));
  if (o.appProject) appset.spec.template.spec.project = o.appProject;
  const apps = new Map<string, App>();
  const faults: Fault[] = [];
  const conditions: string[] = [];
  const requests: Array<{ method: string; path: string; query: Record<string, string>; body: unknown }> = [];
  const t = { sync: o.syncMs ?? 60, health: o.healthMs ?? 60, delete: o.deleteMs ?? 80 };
  let head = '';
  let polling: Promise<void> | null = null;
  let paused = false;
  let syncWindow = false;

  /** The ApplicationSet controller: one Application per config.json, gone when its folder is. */
  async function pollGit() {
    const now = headOf(o.repo, branch);
    if (now === head) return;
    head = now;
    const folders = new Map<string, string>();
    if (now) {
      for (const line of (await git(o.repo, ['ls-tree', now, 'tenants/'])).out.split('\n')) {
        const m = /^040000 tree ([0-9a-f]+)\t(tenants\/.+)$/.exec(line);
        if (m) folders.set(m[2]!, m[1]!);
      }
    }
    const seen = new Set<string>();
    let failed = false;
    for (const [folder, tree] of folders) {
      const existing = [...apps.values()].find((a) => a.folder === folder && !a.deletionTimestamp);
      if (existing) {
        seen.add(existing.name);
        existing.revision = now;
        existing.tree = tree;
        continue;
      }
      const cfg = await git(o.repo, ['show', `${now}:${folder}/config.json`]);
      if (cfg.code !== 0) continue;
      let rendered: { metadata: { name: string }; spec: { project: string } };
      try {
        const params = { ...JSON.parse(cfg.out), path: { path: folder, basename: path.basename(folder) } };
        rendered = render(appset.spec.template, params) as typeof rendered;
      } catch (e) {
        // Like the ApplicationSet controller: report ErrorOccurred and delete nothing this round.
        conditions.push(`ErrorOccurred: ${folder}: ${(e as Error).message}`);
        failed = true;
        continue;
      }
      const app: App = { name: rendered.metadata.name, project: rendered.spec.project, folder, tree, syncedTree: null, revision: now, spec: rendered.spec, op: null, healthyAt: null, deleteAt: null, deletionTimestamp: null, perpetualDiff: false, comparisonError: null, healthOverride: null };
      apps.set(app.name, app);
      seen.add(app.name);
    }
    for (const app of apps.values()) {
      if (failed) break;
      if (!seen.has(app.name) && !app.deletionTimestamp) {
        app.deletionTimestamp = new Date().toISOString();
        app.deleteAt = Date.now() + t.delete;
      }
    }
  }
  const poll = () => (polling ??= pollGit().finally(() => (polling = null)));

  /** A refresh: the application controller compares this one app with the branch again. No generator run. */
  async function refresh(app: App) {
    const now = headOf(o.repo, branch);
    if (!now || now === app.revision) return;
    const line = (await git(o.repo, ['ls-tree', now, app.folder])).out.trim();
    const tree = /^040000 tree ([0-9a-f]+)\t/.exec(line)?.[1];
    app.revision = now;
    if (tree) app.tree = tree;
  }
  const timer = setInterval(() => void (paused || poll()), o.pollMs ?? 40);

  /** The application controller, evaluated lazily on every read. */
  function advance(app: App) {
    const now = Date.now();
    if (app.deleteAt && now >= app.deleteAt) apps.delete(app.name);
    if (app.op?.phase === 'Running' && syncWindow) app.op.message = 'Sync operation blocked by sync window';
    else if (app.op?.phase === 'Running' && now >= app.op.startedAt + t.sync) {
      app.op = { ...app.op, phase: 'Succeeded', message: 'successfully synced (all tasks run)' };
      if (!app.perpetualDiff) app.syncedTree = app.tree;
      app.healthyAt = now + t.health;
    }
    if (app.op?.phase === 'Terminating' && now >= app.op.startedAt + t.sync) app.op = { ...app.op, phase: 'Failed', message: 'Operation terminated' };
    // Auto-sync: only when out of sync, at most once per revision (docs/user-guide/auto_sync.md), never in a deny window.
    const attempted = app.op && app.op.phase !== 'Running' && app.op.startedAt >= revisionSeenAt(app);
    if (o.autoSync && !syncWindow && !attempted && app.op?.phase !== 'Running' && app.op?.phase !== 'Terminating' && app.syncedTree !== app.tree && !app.deletionTimestamp) startSync(app);
  }
  const seenAt = new Map<string, { revision: string; at: number }>();
  function revisionSeenAt(app: App): number {
    const seen = seenAt.get(app.name);
    if (seen?.revision === app.revision) return seen.at;
    seenAt.set(app.name, { revision: app.revision, at: Date.now() });
    return Date.now();
  }
  function startSync(app: App) {
    app.op = { phase: 'Running', startedAt: Date.now(), message: 'waiting for healthy state of apps/Deployment/redis' };
  }
  function view(app: App) {
    const synced = app.syncedTree === app.tree && !app.comparisonError;
    const healthy = app.healthyAt !== null && Date.now() >= app.healthyAt;
    const healthStatus = app.healthOverride?.status ?? (app.syncedTree === null ? 'Missing' : healthy ? 'Healthy' : 'Progressing');
    const spec = app.spec as { sources?: Array<{ targetRevision?: string }> };
    return {
      metadata: { name: app.name, namespace: 'argocd', finalizers: ['resources-finalizer.argocd.argoproj.io'], ...(app.deletionTimestamp ? { deletionTimestamp: app.deletionTimestamp } : {}) },
      spec: app.spec,
      status: {
        sync: { status: app.comparisonError ? 'Unknown' : synced ? 'Synced' : 'OutOfSync', revisions: [spec.sources?.[0]?.targetRevision ?? '', app.revision] },
        health: { status: healthStatus, ...(app.healthOverride ? { message: app.healthOverride.message } : {}) },
        ...(app.comparisonError ? { conditions: [{ type: 'ComparisonError', message: app.comparisonError, lastTransitionTime: new Date().toISOString() }] } : {}),
        ...(app.op ? { operationState: { phase: app.op.phase, message: app.op.message, startedAt: new Date(app.op.startedAt).toISOString(), syncResult: { revision: app.revision } } } : {}),
        reconciledAt: new Date().toISOString(),
      },
    };
  }

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string) => send(res, status, { error: message, code: GRPC[status] ?? 2, message });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const query = Object.fromEntries(url.searchParams);
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : null;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, body });
    const fault = faults.findIndex((f) => (!f.method || f.method === req.method) && (!f.path || f.path.test(url.pathname)));
    if (fault >= 0) {
      const [f] = faults.splice(fault, 1);
      return send(res, f!.status, f!.body ?? { error: `injected ${f!.status}`, code: GRPC[f!.status] ?? 2, message: `injected ${f!.status}` });
    }
    if (o.faultRate && url.pathname.startsWith('/api/v1/applications/') && Math.random() < o.faultRate) {
      return error(res, 503, 'connection error: desc = "transport: Error while dialing: dial tcp 10.96.0.12:8081: connect: connection refused"');
    }
    if (url.pathname === '/api/version') return send(res, 200, { Version: 'v3.1.0+emulator' });
    if (req.headers.authorization !== `Bearer ${token}`) return error(res, 401, 'invalid session: token signature is invalid');
    if (url.pathname === '/api/v1/session/userinfo') return send(res, 200, { loggedIn: true, username: 'plinth', iss: 'argocd' });
    const proj = /^\/api\/v1\/projects\/([^/]+)$/.exec(url.pathname);
    if (proj && req.method === 'GET') {
      const name = decodeURIComponent(proj[1]!);
      if (!projects.includes(name)) return error(res, 404, `appprojects.argoproj.io "${name}" not found`);
      return send(res, 200, { metadata: { name, namespace: 'argocd' }, spec: { syncWindows: syncWindow ? [{ kind: 'deny', schedule: '* * * * *', duration: '1h', applications: ['*'] }] : [] } });
    }
    const set = /^\/api\/v1\/applicationsets\/([^/]+)$/.exec(url.pathname);
    if (set && req.method === 'GET') {
      const name = decodeURIComponent(set[1]!);
      if (name !== appset.metadata.name) return error(res, 404, `applicationsets.argoproj.io "${name}" not found`);
      return send(res, 200, appset);
    }
    if (url.pathname === '/api/v1/applications' && req.method === 'GET') {
      const wanted = url.searchParams.getAll('projects');
      return send(res, 200, { items: [...apps.values()].filter((a) => projects.includes(a.project) && (wanted.length === 0 || wanted.includes(a.project))).map(view) });
    }
    const m = /^\/api\/v1\/applications\/([^/]+)(\/sync)?$/.exec(url.pathname);
    if (!m) return error(res, 404, `Not Found: ${url.pathname}`);
    const project = query.project ?? body?.project;
    const app = apps.get(decodeURIComponent(m[1]!));
    if (query.refresh && app) await refresh(app);
    if (app) advance(app);
    const live = app && apps.has(app.name) ? app : undefined;
    if (!project) {
      // Argo CD's rule: without a project, a missing app and a forbidden one look the same (403).
      if (!live || !projects.includes(live.project)) return error(res, 403, 'permission denied');
    } else {
      if (!projects.includes(project)) return error(res, 403, 'permission denied');
      if (!live || live.project !== project) return error(res, 404, `applications.argoproj.io "${m[1]}" not found`);
    }
    if (!m[2] && req.method === 'GET') return send(res, 200, view(live));
    if (m[2] && req.method === 'POST') {
      if (syncWindow) return error(res, 403, 'Cannot sync: Blocked by sync window');
      if (live.op?.phase === 'Running' || live.op?.phase === 'Terminating') return error(res, 400, 'another operation is already in progress');
      startSync(live);
      return send(res, 200, view(live));
    }
    if (!m[2] && req.method === 'DELETE') {
      live.deletionTimestamp ??= new Date().toISOString();
      live.deleteAt ??= Date.now() + t.delete;
      return send(res, 200, {});
    }
    return error(res, 404, `Not Found: ${url.pathname}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => error(res, 500, String(e)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    /** ApplicationSet conditions raised (template errors). */
    conditions,
    /** Answer the next matching request with this error instead. */
    failNext: (f: Fault) => faults.push(f),
    apps: () => [...apps.values()].map((a) => (advance(a), view(a))).filter((a) => apps.has(a.metadata.name)),
    app: (name: string) => {
      const a = apps.get(name);
      if (a) advance(a);
      return a && apps.has(name) ? view(a) : null;
    },
    /** Marks a running sync as failed (or errored), as a failing hook or an invalid manifest would. */
    failSync: (name: string, message: string, phase: 'Failed' | 'Error' = 'Failed') => {
      const a = apps.get(name);
      if (a?.op) a.op = { ...a.op, phase, message };
    },
    /** Starts terminating the running operation (it ends Failed after the sync time). */
    terminate: (name: string) => {
      const a = apps.get(name);
      if (a?.op) a.op = { ...a.op, phase: 'Terminating', startedAt: Date.now(), message: 'Operation is terminating' };
    },
    /** A deny sync window on every project (true) or none (false). */
    setSyncWindow: (on: boolean) => void (syncWindow = on),
    /** Syncs succeed but the app never becomes Synced. */
    setPerpetualDiff: (name: string, on: boolean) => {
      const a = apps.get(name);
      if (a) a.perpetualDiff = on;
    },
    setComparisonError: (name: string, message: string | null) => {
      const a = apps.get(name);
      if (a) a.comparisonError = message;
    },
    setHealth: (name: string, status: string | null, message = '') => {
      const a = apps.get(name);
      if (a) a.healthOverride = status ? { status, message } : null;
    },
    /** Sync requests received for one app. */
    syncRequests: (name: string) => requests.filter((r) => r.method === 'POST' && r.path === `/api/v1/applications/${name}/sync`).length,
    poll,
    /** Stop (and restart) watching git on its own, as between two polls of a real Argo CD; refresh still works. */
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    close: async () => {
      clearInterval(timer);
      await polling;
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export type ArgoEmulator = Awaited<ReturnType<typeof startArgoEmulator>>;
