// `npm start`: install what is missing, build if needed, then serve on PORT (default 3000).
// With no DATABASE_URL it runs on the embedded PGlite database under .data/.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuild, ensureDependencies, root } from './lib.mjs';

ensureDependencies();
ensureBuild();
const port = process.env.PORT ?? '3000';
console.log(`› starting Plinth on http://localhost:${port}`);
// The server records each connection's real address in X-Forwarded-For (scripts/image/forwarded-for.mjs).
const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const forwardedFor = path.join(root, 'scripts', 'image', 'forwarded-for.mjs');
const child = spawn(process.execPath, ['--import', forwardedFor, next, 'start', '-p', port], {
  cwd: root,
  stdio: 'inherit',
  // Plinth's own SIGTERM handler (server/reconciler/lifecycle.ts) stops the in-process reconciler gracefully.
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', NEXT_MANUAL_SIG_HANDLE: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
