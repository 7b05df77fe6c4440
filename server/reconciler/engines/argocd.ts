/**
 * The Argo CD delivery engine. sync = commit the deployment's folder to the GitOps repository (the
 * ApplicationSet makes the Application from it); status = read the Application through the REST API, asking
 * Argo CD to refresh when it has not seen our commit yet and to sync when it is out of sync; remove = delete the
 * folder, then 'pending' until the Application is gone (404), 'gone' after — a 404 counts only once the project
 * is proven to be the ApplicationSet's (see verifyProject).
 */
import { createArgoApi, type Application, type ArgoApiOptions } from './argocd-api';
import { appConfig, appNameOf, valuesYaml } from './argocd-values';
import { createGitOps, folderOf, GENERATION_FILE, type GitOpsOptions } from './gitops';
import { TerminalError, TransientError, type AppStatus, type DeliveryEngine, type EngineDeployment } from './types';

export type ArgoEngineOptions = {
  api: ArgoApiOptions;
  gitops: GitOpsOptions;
  /** Argo CD's name for the cluster shared-tier deployments run on. */
  sharedCluster: string;
  /** How long after our commit an Application may take to appear or disappear before we say something is wrong. */
  generatorTimeoutMs?: number;
  /** First wait before asking again to sync a revision already asked for (doubles each time; default 10 s). */
  syncRetryBaseMs?: number;
};

const SHA = /^[0-9a-f]{40}$/;

/** The git revision the Application was compared against (single or multi-source). */
export function revisionOf(app: Application): string {
  const sync = app.status?.sync;
  return [sync?.revision, ...(sync?.revisions ?? [])].find((r): r is string => !!r && SHA.test(r)) ?? '';
}

const HEALTH: Record<string, AppStatus['health']> = {
  Healthy: 'Healthy',
  Degraded: 'Degraded',
  Missing: 'Missing',
  Suspended: 'Suspended',
  Unknown: 'Unknown',
};
const health = (app: Application): AppStatus['health'] => HEALTH[app.status?.health?.status ?? ''] ?? 'Progressing';

/** Sync requests for one revision are spaced out: base, 2×base, 4×base … up to 5 minutes (base 10 s). */
export function syncBackoffMs(requests: number, baseMs = 10_000): number {
  return Math.min(300_000, baseMs * 2 ** Math.max(0, requests - 1));
}
/** After a deny sync window refused a sync, ask again this much later. */
const WINDOW_RETRY_MS = 60_000;

export function createArgoEngine(o: ArgoEngineOptions): DeliveryEngine & { gitops: ReturnType<typeof createGitOps> } {
  const api = createArgoApi(o.api);
  const gitops = createGitOps(o.gitops);
  // When this process committed a deployment's folder (or its removal): the ApplicationSet should follow soon.
  // After a restart or a lease hand-off the clock comes from git: the commit's own time.
  const committedAt = new Map<string, number>();
  async function overdue(id: string): Promise<boolean> {
    let at = committedAt.get(id);
    if (at === undefined) {
      const commit = await gitops.lastCommitFor(id);
      at = (commit && (await gitops.commitTime(commit))) || Date.now();
      committedAt.set(id, at);
    }
    return Date.now() - at > (o.generatorTimeoutMs ?? 600_000);
  }
  // Sync requests made per application: at most one per revision, then backed off (a perpetual diff must not
  // become a sync storm racing auto-sync).
  const requested = new Map<string, { revision: string; count: number; nextAt: number; blocked: boolean }>();
  async function requestSync(name: string, revision: string): Promise<'requested' | 'waiting' | 'blocked'> {
    const last = requested.get(name);
    const same = last?.revision === revision;
    if (same && Date.now() < last.nextAt) return last.blocked ? 'blocked' : 'waiting';
    const answer = await api.sync(name);
    if (requested.size > 10_000) requested.clear();
    if (answer === 'blocked') {
      // Refused by a deny window: nothing was started, so it does not count; ask again when it may have opened.
      requested.set(name, { revision, count: same ? last.count : 0, nextAt: Date.now() + WINDOW_RETRY_MS, blocked: true });
      return 'blocked';
    }
    const count = same ? last.count + 1 : 1;
    requested.set(name, { revision, count, nextAt: Date.now() + syncBackoffMs(count, o.syncRetryBaseMs), blocked: false });
    return answer === 'busy' ? 'waiting' : 'requested';
  }

  // A 404 with ?project= means "no such Application in this project". It proves the Application is gone only if
  // the project exists and is the one the ApplicationSet generates into; otherwise a misconfigured ARGOCD_PROJECT
  // would make a live Application look deleted and Terraform would destroy the infrastructure under it.
  let verified: Promise<void> | null = null;
  function verifyProject(): Promise<void> {
    verified ??= (async () => {
      const project = await api.getProject(o.api.project);
      if (!project) throw new TerminalError(`Argo CD has no project "${o.api.project}": create it (deploy/argocd/project.yaml) or set ARGOCD_PROJECT to the ApplicationSet's project`);
      const setName = o.api.applicationSet ?? 'plinth-redis';
      const set = await api.getAppSet(setName);
      if (!set) throw new TerminalError(`Argo CD has no ApplicationSet "${setName}": apply deploy/argocd/applicationset.yaml or set ARGOCD_APPLICATIONSET to its name`);
      const generated = set.spec?.template?.spec?.project;
      if (generated !== o.api.project) {
        throw new TerminalError(
          `The ApplicationSet "${setName}" generates Applications into project "${generated ?? '(none)'}", but ARGOCD_PROJECT is "${o.api.project}": make them the same, or Plinth cannot tell a deleted Application from one it may not see`,
        );
      }
    })().catch((e) => {
      verified = null; // checked again on the next call: the operator may have fixed it
      throw e;
    });
    return verified;
  }

  /** The catalog is the source of chart versions; the claim selects the one for the deployment's version. */
  function chartVersionOf(d: EngineDeployment): string {
    if (!d.chartVersion) throw new TerminalError(`Version ${d.spec.version} has no chart version in the catalog (product_versions): add it, then retry.`);
    return d.chartVersion;
  }

  return {
    name: 'argocd',
    gitops,
    /** Commits the deployment's folder; idempotent (the same values make no commit). */
    async sync(d, values, progress, signal) {
      const config = appConfig(d, { chartVersion: chartVersionOf(d), sharedCluster: o.sharedCluster });
      const files = { [GENERATION_FILE]: `${JSON.stringify(config, null, 2)}\n`, 'values.yaml': valuesYaml(d, values) };
      const { commit, changed, newer } = await gitops.write(d.id, files, `${d.name}: generation ${d.generation} (${d.id})`, { generation: d.generation, signal });
      if (newer !== undefined) {
        // Only a worker that lost its lease gets here; the current holder owns the newer folder.
        throw new TransientError(`The GitOps repository already holds generation ${newer} of ${folderOf(d.id)}; generation ${d.generation} is not written over it`);
      }
      if (changed || !committedAt.has(d.id)) committedAt.set(d.id, Date.now());
      await progress(
        changed
          ? `Committed ${folderOf(d.id)} at ${commit?.slice(0, 7)}; Argo CD application ${appNameOf(d)} will pick it up`
          : `The GitOps repository already holds generation ${d.generation}`,
      );
    },
    /** Sync and health of the Application, as of our latest commit; nudges Argo CD (refresh, sync) when behind. */
    async status(d) {
      await verifyProject();
      const name = appNameOf(d);
      const app = await api.getApp(name);
      if (!app && (await overdue(d.id))) {
        // Retried, but the customer sees why it is stuck, and the operator where to look.
        throw new TransientError(
          `Argo CD has not created application ${name} from ${folderOf(d.id)}: check the ApplicationSet (kubectl -n argocd get applicationset -o yaml, condition ErrorOccurred) and that Argo CD can read the GitOps repository`,
        );
      }
      if (!app || app.metadata.deletionTimestamp) return { sync: 'OutOfSync', health: 'Missing', revision: '' };
      const comparison = app.status?.conditions?.find((c) => c.type === 'ComparisonError');
      if (comparison) {
        throw new TransientError(`Argo CD cannot compare ${name} with the GitOps repository: ${comparison.message ?? 'ComparisonError'}`);
      }
      const expected = await gitops.lastCommitFor(d.id);
      const compared = revisionOf(app);
      if (expected && !(compared && (await gitops.contains(expected, compared)))) {
        // Argo CD polls git every few minutes; a refresh makes it look now (the call returns once it has).
        const fresh = await api.getApp(name, 'normal');
        return { sync: 'OutOfSync', health: fresh ? health(fresh) : 'Missing', revision: fresh ? revisionOf(fresh) : '' };
      }
      const op = app.status?.operationState;
      const sync = app.status?.sync?.status === 'Synced' ? 'Synced' : 'OutOfSync';
      const status: AppStatus = { sync, health: health(app), revision: compared };
      if (status.health === 'Suspended') status.message = `Argo CD reports ${name} as Suspended: ${app.status?.health?.message ?? 'a workload is paused'}`;
      if (status.health === 'Unknown') status.message = `Argo CD cannot assess the health of ${name}: ${app.status?.health?.message ?? 'health Unknown'}`;
      if (sync === 'Synced' || op?.phase === 'Running' || op?.phase === 'Terminating') {
        if (op?.phase === 'Terminating') status.message = `Argo CD is terminating a sync of ${name}`;
        return status;
      }
      const failed = op?.phase === 'Failed' || op?.phase === 'Error';
      const request = await requestSync(name, compared);
      if (request === 'blocked') return { ...status, message: `A sync window of project "${o.api.project}" blocks syncs of ${name} now; Plinth waits for it to open` };
      if (failed) {
        // Shown to the customer as the reason, and backed off.
        const next = request === 'requested' ? 'a new sync was requested' : 'a new sync will be requested shortly';
        throw new TransientError(`Argo CD could not sync ${name}: ${op?.message ?? op?.phase}; ${next}`);
      }
      const tries = requested.get(name)?.count ?? 0;
      if (request === 'waiting' && tries >= 3) {
        throw new TransientError(
          `Argo CD was asked ${tries} times to sync ${name} at ${compared.slice(0, 7)} and it is still OutOfSync: a field that never matches (a perpetual diff) needs ignoreDifferences in the ApplicationSet`,
        );
      }
      return status;
    },
    /** Removes the folder; the ApplicationSet deletes the Application (and, by its finalizer, its resources). */
    async remove(d, progress, signal) {
      await verifyProject();
      // Once this returns, the folder is gone from the branch (pushed by us, or already absent).
      const { changed, commit } = await gitops.remove(d.id, `${d.name}: delete (${d.id})`, { signal });
      if (changed) {
        committedAt.set(d.id, Date.now());
        await progress(`Removed ${folderOf(d.id)} at ${commit?.slice(0, 7)}; waiting for Argo CD to delete ${appNameOf(d)}`);
      }
      const app = await api.getApp(appNameOf(d));
      if (!app) {
        committedAt.delete(d.id);
        return 'gone';
      }
      if (!app.metadata.deletionTimestamp && (await overdue(d.id))) {
        throw new TransientError(
          `Argo CD still has application ${appNameOf(d)} although ${folderOf(d.id)} is gone: the ApplicationSet's applicationsSync policy must allow deletion (sync or create-delete)`,
        );
      }
      return 'pending';
    },
  };
}
