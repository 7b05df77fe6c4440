/**
 * The Argo CD delivery engine. sync = commit the deployment's folder to the GitOps repository (the
 * ApplicationSet makes the Application from it); status = read the Application through the REST API, asking
 * Argo CD to refresh when it has not seen our commit yet and to sync when it is out of sync; remove = delete the
 * folder, then 'pending' until the Application is gone (404), 'gone' after.
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
};

const SHA = /^[0-9a-f]{40}$/;

/** The git revision the Application was compared against (single or multi-source). */
export function revisionOf(app: Application): string {
  const sync = app.status?.sync;
  return [sync?.revision, ...(sync?.revisions ?? [])].find((r): r is string => !!r && SHA.test(r)) ?? '';
}

const HEALTH: Record<string, AppStatus['health']> = { Healthy: 'Healthy', Degraded: 'Degraded', Missing: 'Missing' };
const health = (app: Application): AppStatus['health'] => HEALTH[app.status?.health?.status ?? ''] ?? 'Progressing';

export function createArgoEngine(o: ArgoEngineOptions): DeliveryEngine & { gitops: ReturnType<typeof createGitOps> } {
  const api = createArgoApi(o.api);
  const gitops = createGitOps(o.gitops);
  // When this process committed a deployment's folder (or its removal): the ApplicationSet should follow soon.
  const committedAt = new Map<string, number>();
  const overdue = (id: string) => Date.now() - (committedAt.get(id) ?? Date.now()) > (o.generatorTimeoutMs ?? 600_000);

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
      const name = appNameOf(d);
      const app = await api.getApp(name);
      if (!app && overdue(d.id)) {
        // Retried, but the customer sees why it is stuck, and the operator where to look.
        throw new TransientError(
          `Argo CD has not created application ${name} from ${folderOf(d.id)}: check the ApplicationSet (kubectl -n argocd get applicationset -o yaml, condition ErrorOccurred) and that Argo CD can read the GitOps repository`,
        );
      }
      if (!app || app.metadata.deletionTimestamp) return { sync: 'OutOfSync', health: 'Missing', revision: '' };
      const expected = await gitops.lastCommitFor(d.id);
      const compared = revisionOf(app);
      if (expected && !(compared && (await gitops.contains(expected, compared)))) {
        // Argo CD polls git every few minutes; a refresh makes it look now (the call returns once it has).
        const fresh = await api.getApp(name, 'normal');
        return { sync: 'OutOfSync', health: fresh ? health(fresh) : 'Missing', revision: fresh ? revisionOf(fresh) : '' };
      }
      const op = app.status?.operationState;
      const sync = app.status?.sync?.status === 'Synced' ? 'Synced' : 'OutOfSync';
      if (sync === 'OutOfSync' && op?.phase !== 'Running' && op?.phase !== 'Terminating') {
        await api.sync(name);
        if (op?.phase === 'Failed' || op?.phase === 'Error') {
          // Shown to the customer as the reason, and backed off; the new sync is already under way.
          throw new TransientError(`Argo CD could not sync ${name}: ${op.message ?? op.phase}; a new sync was requested`);
        }
      }
      return { sync, health: health(app), revision: compared };
    },
    /** Removes the folder; the ApplicationSet deletes the Application (and, by its finalizer, its resources). */
    async remove(d, progress, signal) {
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
      if (overdue(d.id) && !app.metadata.deletionTimestamp) {
        throw new TransientError(
          `Argo CD still has application ${appNameOf(d)} although ${folderOf(d.id)} is gone: the ApplicationSet's applicationsSync policy must allow deletion (sync or create-delete)`,
        );
      }
      return 'pending';
    },
  };
}
