/** Request helpers with no server-only dependencies, usable from route handlers, server code and tests alike. */

/** The caller's address as the nearest proxy reports it; 'local' when there is no proxy (development, tests). */
export function clientIp(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',')[0]?.trim() || headers.get('x-real-ip') || 'local';
}
