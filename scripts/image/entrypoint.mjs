// The container's entrypoint (under tini, which reaps zombies and forwards signals): `web`, `worker` or `migrate`.
// Everything runs in this one Node process, so SIGTERM reaches the role's own handler directly.
//   web      Next's standalone server on PORT (3000). SIGTERM: readiness turns 503 at once, the server keeps
//            answering for PLINTH_SHUTDOWN_DELAY_S (5) so load balancers stop routing here, then the process exits.
//   worker   The reconciler and billing jobs; SIGTERM finishes or hands over its passes (see scripts/worker.ts).
//   migrate  Applies migrations and seeds, then exits (a Kubernetes Job or an init step).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const role = process.argv[2] ?? 'web';
process.chdir(here); // db/migrations and deploy/ are read relative to the working directory
process.env.NODE_ENV ??= 'production';
process.env.NEXT_TELEMETRY_DISABLED = '1';

const log = (level, msg, extra = {}) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), service: 'plinth', role, msg, ...extra })}\n`);

switch (role) {
  case 'web': {
    // Kubernetes sets HOSTNAME to the pod name; Next's standalone server would bind to that name only.
    process.env.HOSTNAME = process.env.PLINTH_LISTEN_HOST || '0.0.0.0';
    // Next would exit at once on SIGTERM, cutting requests in flight; this handler drains first.
    process.env.NEXT_MANUAL_SIG_HANDLE = 'true';
    // The drain itself (readiness 503 at once, answer for PLINTH_SHUTDOWN_DELAY_S, then stop) is the app's own
    // SIGTERM path, server/startup.ts → server/reconciler/lifecycle.ts, shared with npm start and the worker.
    process.env.PLINTH_SHUTDOWN_DELAY_S ??= '5';
    await import(path.join(here, 'forwarded-for.mjs')); // before Next's server exists: see that file
    await import(path.join(here, 'server.js'));
    break;
  }
  case 'worker':
    await import(path.join(here, 'worker.mjs'));
    break;
  case 'migrate':
    await import(path.join(here, 'migrate.mjs'));
    break;
  default:
    log('error', `unknown role "${role}": use web, worker or migrate`);
    process.exit(64);
}
