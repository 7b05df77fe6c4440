/** Runs once when the server starts; the work lives in server/startup.ts (Node only). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { start } = await import('./server/startup');
  await start();
}
