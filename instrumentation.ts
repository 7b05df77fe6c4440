/** Runs once when the server starts: open the database, apply migrations, seed the catalog. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const started = Date.now();
  const { getDatabase } = await import('./server/db');
  const { kind } = await getDatabase();
  console.log(`[plinth] database ready (${kind}) in ${Date.now() - started} ms`);
}
