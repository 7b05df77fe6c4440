// `npm start`: install what is missing, build if needed, then serve on PORT (default 3000).
// With no DATABASE_URL it runs on the embedded PGlite database under .data/.
import { spawn } from 'node:child_process';
import { ensureBuild, ensureDependencies, root } from './lib.mjs';

ensureDependencies();
ensureBuild();
const port = process.env.PORT ?? '3000';
console.log(`› starting Plinth on http://localhost:${port}`);
const child = spawn('npx', ['next', 'start', '-p', port], {
  cwd: root,
  stdio: 'inherit',
  // Plinth's own SIGTERM handler (server/reconciler/lifecycle.ts) stops the in-process reconciler gracefully.
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', NEXT_MANUAL_SIG_HANDLE: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
