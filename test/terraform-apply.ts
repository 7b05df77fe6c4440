/**
 * A stand-in worker for the conformance suite: one process running `engine.apply` for one deployment, printing
 * each progress line, so a test can SIGKILL it mid-apply the way an OOM kill ends a real worker.
 * Usage: tsx test/terraform-apply.ts '<json {options, deployment}>'
 */
import { createTerraformEngine } from '~/server/reconciler/engines/terraform';

const { options, deployment } = JSON.parse(process.argv[2]!);
createTerraformEngine(options)
  .apply(deployment, (m) => void process.stdout.write(`${m}\n`))
  .then(
    () => process.exit(0),
    (e) => {
      process.stdout.write(`error: ${e.message}\n`);
      process.exit(1);
    },
  );
