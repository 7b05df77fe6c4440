/**
 * The slice of Argo CD's REST API the delivery engine uses, with a bearer token. Every application call carries
 * `?project=`: without it Argo CD answers 403 for a missing app (so as not to leak which apps exist), and we
 * could not tell "not there yet / already gone" from "not allowed".
 *
 * Errors come as grpc-gateway bodies `{"error","code","message"}`; each becomes a message that says what to do,
 * and a retry (TransientError) or stop (TerminalError) decision.
 */
import { TerminalError, TransientError } from './types';

export type ArgoApiOptions = {
  server: string;
  token: string;
  project: string;
  /** The ApplicationSet that generates the Applications (deploy/argocd/applicationset.yaml). */
  applicationSet?: string;
  timeoutMs?: number;
};

export type Application = {
  metadata: { name: string; deletionTimestamp?: string };
  spec?: { project?: string };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string; message?: string };
    operationState?: { phase?: string; message?: string; syncResult?: { revision?: string; revisions?: string[] } };
    /** e.g. ComparisonError (the manifests could not be rendered or compared), with Argo CD's message. */
    conditions?: Array<{ type?: string; message?: string }>;
  };
};

export type ApplicationSet = { metadata: { name: string }; spec?: { template?: { spec?: { project?: string } } } };

/** What a sync request came to: started, refused because one is running, or refused by a sync window. */
export type SyncRequest = 'requested' | 'busy' | 'blocked';
const BUSY = /another operation is already in progress/i;
const WINDOW = /blocked by sync window/i;

type ErrorBody = { error?: string; code?: number; message?: string };

/** Maps one failed response to an error a person can act on. `notFound` is handled by callers that expect it. */
export function argoError(status: number, body: ErrorBody, what: string, o: Pick<ArgoApiOptions, 'server' | 'project'>): Error {
  const detail = body.message || body.error || `HTTP ${status}`;
  const text = `Argo CD ${what}: ${detail}`;
  switch (status) {
    case 400:
      if (BUSY.test(detail)) return new TransientError(`${text} (a sync is already running; checking again shortly)`);
      return new TerminalError(`${text} (the request was rejected as invalid; check the ApplicationSet and the deployment's values)`);
    case 401:
      return new TerminalError(`${text} (the token was refused: create a new one with \`argocd account generate-token\` and set ARGOCD_TOKEN)`);
    case 403:
      // Argo CD refuses a sync inside a deny window with PermissionDenied: a wait, not a permission problem.
      if (WINDOW.test(detail)) return new TransientError(`${text} (a sync window of project "${o.project}" blocks syncs now; waiting for it to open)`);
      return new TerminalError(
        `${text} (the token's account may not act on project "${o.project}": grant it applications get/sync in that project's RBAC, or set ARGOCD_PROJECT to the ApplicationSet's project)`,
      );
    case 404:
      return new TransientError(`${text} (the ApplicationSet has not generated it yet)`);
    case 409:
      return new TransientError(`${text} (a concurrent change conflicted; retrying)`);
    case 429:
    case 502:
    case 503:
    case 504:
      return new TransientError(`${text} (Argo CD at ${o.server} is unavailable; retrying)`);
    default:
      return status >= 500 ? new TransientError(`${text} (server error; retrying)`) : new TerminalError(`${text} (unexpected HTTP ${status})`);
  }
}

export function createArgoApi(o: ArgoApiOptions) {
  const base = o.server.replace(/\/+$/, '');

  async function call<T>(method: string, path: string, what: string, opts: { body?: unknown; query?: Record<string, string>; allow404?: boolean; timeoutMs?: number } = {}): Promise<T | null> {
    const url = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${o.token}`, accept: 'application/json', ...(opts.body ? { 'content-type': 'application/json' } : {}) },
        body: opts.body ? JSON.stringify(opts.body) : undefined,
        signal: AbortSignal.timeout(opts.timeoutMs ?? o.timeoutMs ?? 15_000),
      });
    } catch (e) {
      const c = (e as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (e as Error).name;
      throw new TransientError(`Argo CD ${what}: ${base} is unreachable (${cause}); check ARGOCD_SERVER and that Argo CD is running`);
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // A proxy's HTML error page: keep the status, drop the body.
    }
    if (res.ok) return body as T;
    if (res.status === 404 && opts.allow404) return null;
    throw argoError(res.status, (body ?? {}) as ErrorBody, what, o);
  }

  const appPath = (name: string) => `/api/v1/applications/${encodeURIComponent(name)}`;

  return {
    project: o.project,
    /** The Application, or null when it does not exist (404 with `project`). `refresh` makes Argo CD re-read git first. */
    getApp(name: string, refresh?: 'normal' | 'hard') {
      return call<Application>('GET', appPath(name), `reading application ${name}`, {
        query: { project: o.project, ...(refresh ? { refresh } : {}) },
        allow404: true,
        // A refresh blocks until the controller has compared again.
        timeoutMs: refresh ? 60_000 : undefined,
      });
    },
    /**
     * Requests a sync to the latest revision; the project travels in the query and the body. A sync already
     * running (400 FailedPrecondition) and a deny sync window (403 PermissionDenied) are answers, not failures.
     */
    async sync(name: string): Promise<SyncRequest> {
      try {
        await call('POST', `${appPath(name)}/sync`, `syncing application ${name}`, {
          query: { project: o.project },
          body: { name, project: o.project, revision: '', prune: true, strategy: { hook: {} } },
        });
        return 'requested';
      } catch (e) {
        if (BUSY.test((e as Error).message)) return 'busy';
        if (WINDOW.test((e as Error).message)) return 'blocked';
        throw e;
      }
    },
    /** The AppProject, or null when it does not exist. */
    getProject: (name: string) =>
      call<{ metadata: { name: string } }>('GET', `/api/v1/projects/${encodeURIComponent(name)}`, `reading project ${name}`, { allow404: true }),
    /** The ApplicationSet, or null when it does not exist. */
    getAppSet: (name: string) =>
      call<ApplicationSet>('GET', `/api/v1/applicationsets/${encodeURIComponent(name)}`, `reading applicationset ${name}`, { allow404: true }),
    version: () => call<{ Version?: string }>('GET', '/api/version', 'reading the version'),
    userInfo: () => call<{ loggedIn?: boolean; username?: string }>('GET', '/api/v1/session/userinfo', 'checking the token'),
    listApps: () => call<{ items?: Application[] | null }>('GET', '/api/v1/applications', 'listing applications', { query: { projects: o.project } }),
  };
}

export type ArgoApi = ReturnType<typeof createArgoApi>;
