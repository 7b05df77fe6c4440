/** Liveness: the process is up and its event loop answers. Never touches the database (a database outage must not restart every pod). */
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok', uptimeS: Math.round(process.uptime()) });
}
