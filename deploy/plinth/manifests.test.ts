/**
 * The Kubernetes manifests, as Argo CD or `kubectl apply -k` would see them: the production overlay rendered by
 * `kubectl kustomize` (offline), then checked object by object.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(import.meta.dirname, '..', '..');
const overlay = path.join(root, 'deploy', 'plinth', 'overlays', 'production');
const REQUIRED_SECRETS = ['DATABASE_URL', 'AUTH_SECRET', 'PLINTH_SECRET_KEY', 'PLINTH_METRICS_TOKEN'];
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|DATABASE_URL|PG_CONN_STR|GITOPS_REPO_URL|_KEY$/;

type K8s = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: any };
let objects: K8s[] = [];
const get = (kind: string, name: string) => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} is not in the rendered overlay`);
  return o;
};
const podSpec = (o: K8s) => o.spec.template.spec;
const container = (o: K8s) => podSpec(o).containers[0];
const workloads = () => [get('Deployment', 'plinth-web'), get('Deployment', 'plinth-worker'), get('Job', 'plinth-migrate')];

beforeAll(() => {
  const which = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (which.status !== 0) throw new Error('kubectl is not installed: `npm test` installs the Debian package, or apt-get install kubectl');
  const out = execFileSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' });
  objects = parseAllDocuments(out).map((d) => d.toJS() as K8s);
});

describe('the production overlay', () => {
  it('renders every object, in the plinth namespace, on the overlay image', () => {
    const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ConfigMap/plinth-config',
        'ConfigMap/plinth-grafana-dashboard',
        'Deployment/plinth-web',
        'Deployment/plinth-worker',
        'Ingress/plinth',
        'Job/plinth-migrate',
        'Namespace/plinth',
        'PodDisruptionBudget/plinth-web',
        'PodDisruptionBudget/plinth-worker',
        'Service/plinth-web',
        'Service/plinth-worker-metrics',
        'ServiceAccount/plinth',
        'ServiceMonitor/plinth-web',
        'ServiceMonitor/plinth-worker',
      ]),
    );
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('plinth');
    for (const w of workloads()) expect(container(w).image).toBe('registry.example.com/plinth:0.1.0');
  });

  it('runs each role with its command from the one image', () => {
    expect(container(get('Deployment', 'plinth-web')).args).toEqual(['web']);
    expect(container(get('Deployment', 'plinth-worker')).args).toEqual(['worker']);
    const job = get('Job', 'plinth-migrate');
    expect(container(job).args).toEqual(['migrate']);
    expect(podSpec(job).restartPolicy).toBe('Never');
    expect(job.metadata.annotations?.['argocd.argoproj.io/hook']).toBe('PreSync');
  });

  it('web: ≥ 2 replicas, probes on live and ready, resources, a PodDisruptionBudget', () => {
    const web = get('Deployment', 'plinth-web');
    expect(web.spec.replicas).toBeGreaterThanOrEqual(2);
    const c = container(web);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/api/health/ready', port: 'http' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/api/health/live', port: 'http' });
    expect(c.ports).toContainEqual({ name: 'http', containerPort: 3000 });
    expect(c.resources.requests.cpu).toBeTruthy();
    expect(c.resources.requests.memory).toBeTruthy();
    expect(c.resources.limits.memory).toBeTruthy();
    expect(web.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const pdb = get('PodDisruptionBudget', 'plinth-web');
    expect(pdb.spec.selector.matchLabels).toEqual(web.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
    expect(get('Service', 'plinth-web').spec.selector).toEqual(web.spec.selector.matchLabels);
  });

  it('worker: scalable, liveness on its metrics port, and a grace period longer than the Terraform cancel grace', () => {
    const worker = get('Deployment', 'plinth-worker');
    expect(worker.spec.replicas).toBeGreaterThanOrEqual(2);
    // On SIGTERM passes get PLINTH_SHUTDOWN_GRACE_MS, then terraform its SIGINT and PLINTH_TERRAFORM_GRACE_S to
    // stop cleanly: Kubernetes' SIGKILL (which takes terraform with the pod) must come after both.
    const config = get('ConfigMap', 'plinth-config').data as Record<string, string>;
    const needed = Number(config.PLINTH_SHUTDOWN_GRACE_MS) / 1000 + Number(config.PLINTH_TERRAFORM_GRACE_S);
    expect(needed).toBeGreaterThan(60);
    expect(podSpec(worker).terminationGracePeriodSeconds).toBeGreaterThan(needed);
    expect(container(worker).livenessProbe.httpGet).toEqual({ path: '/live', port: 'metrics' });
    expect(container(worker).resources.limits.memory).toBeTruthy();
    // No readiness gate and no fixed count in the base's logic: a HorizontalPodAutoscaler may own replicas.
    expect(get('PodDisruptionBudget', 'plinth-worker').spec.maxUnavailable).toBe(1);
  });

  it('every workload runs non-root on a read-only root, writing only to emptyDir volumes', () => {
    for (const w of workloads()) {
      const name = w.metadata.name;
      const pod = podSpec(w);
      expect(pod.securityContext, name).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken ?? get('ServiceAccount', 'plinth').automountServiceAccountToken, name).toBe(false);
      const c = container(w);
      expect(c.securityContext, name).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      const volumes = new Map<string, K8s>(pod.volumes.map((v: K8s) => [v.name, v]));
      for (const m of c.volumeMounts) expect(volumes.get(m.name)?.emptyDir, `${name}: ${m.mountPath}`).toBeDefined();
      expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath), name).toContain('/tmp');
    }
  });

  it('takes secrets only by reference to the plinth-secrets Secret; no Secret object and no secret value inline', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const w of workloads()) {
      const c = container(w);
      expect(c.envFrom, w.metadata.name).toEqual([{ configMapRef: { name: 'plinth-config' } }]);
      const env = c.env as { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string; optional?: boolean } } }[];
      for (const e of env) {
        expect(e.value, `${w.metadata.name}: ${e.name} has an inline value`).toBeUndefined();
        expect(e.valueFrom?.secretKeyRef).toMatchObject({ name: 'plinth-secrets', key: e.name });
      }
      for (const name of REQUIRED_SECRETS) {
        const ref = env.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
        expect(ref, `${w.metadata.name}: ${name}`).toEqual({ name: 'plinth-secrets', key: name });
      }
    }
    const data = get('ConfigMap', 'plinth-config').data as Record<string, string>;
    for (const [k, v] of Object.entries(data)) {
      expect(k, 'a secret-looking key in the ConfigMap').not.toMatch(SECRET_NAME);
      expect(v, `${k} looks like it carries credentials`).not.toMatch(/:\/\/[^/\s]*:[^/\s]*@/);
    }
    for (const sm of objects.filter((o) => o.kind === 'ServiceMonitor')) {
      expect(sm.spec.endpoints[0].authorization.credentials).toEqual({ name: 'plinth-secrets', key: 'PLINTH_METRICS_TOKEN' });
    }
  });

  it('covers every setting the README lists, as a ConfigMap key or a secret reference', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    const listed = new Set<string>();
    for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
      for (const m of line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) listed.add(m[1]!);
    }
    expect(listed.size).toBeGreaterThan(25);
    const config = Object.keys(get('ConfigMap', 'plinth-config').data);
    const secrets = (container(get('Deployment', 'plinth-web')).env as { name: string }[]).map((e) => e.name);
    const missing = [...listed].filter((v) => !config.includes(v) && !secrets.includes(v));
    expect(missing).toEqual([]);
  });

  it('the ConfigMap, with the required secrets, is an environment the app accepts', () => {
    const data = get('ConfigMap', 'plinth-config').data as Record<string, string>;
    const fake = { DATABASE_URL: 'postgres://plinth@db.invalid:5432/plinth', AUTH_SECRET: 'x'.repeat(43), PLINTH_SECRET_KEY: Buffer.alloc(32, 1).toString('base64url'), PLINTH_METRICS_TOKEN: 't' };
    const r = spawnSync(
      path.join(root, 'node_modules', '.bin', 'tsx'),
      ['-e', "import('./server/env.ts').then(({ env }) => console.log(JSON.stringify({ engines: env.engines, log: env.observability.logFormat, worker: env.inProcessWorker })))"],
      // The image's ENV (Dockerfile) plus the ConfigMap and the Secret's required keys.
      { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, NODE_ENV: 'production' as const, ...data, ...fake } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toEqual({ engines: { infra: 'terraform', delivery: 'argocd' }, log: 'json', worker: false });
  });

  it('ships a Grafana dashboard whose queries use only metrics Plinth exports', async () => {
    const dashboard = JSON.parse(get('ConfigMap', 'plinth-grafana-dashboard').data['plinth.json']);
    const exprs: string[] = dashboard.panels.flatMap((p: { targets?: { expr: string }[] }) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    const { metrics } = await import('~/server/observability/metrics');
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:plinth|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1]!)));
    const unknown = [...used].filter((n) => !exported.has(n) && !exported.has(n.replace(/_(bucket|count|sum)$/, '')));
    expect(unknown).toEqual([]);
    for (const family of ['plinth_reconciler_queue_depth', 'plinth_engine_call_duration_seconds', 'plinth_http_request_duration_seconds', 'plinth_outbox_backlog']) {
      expect(used.has(family) || used.has(`${family}_bucket`), family).toBe(true);
    }
  });
});
