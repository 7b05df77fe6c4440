/**
 * Runs before every request (Next 16's successor to middleware): a fresh CSP nonce per page request, handed to
 * Next on the request headers (it stamps its own scripts with it) and sent to the browser with the policy; and
 * the security headers on every response. Nothing here touches the session or the database.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { baseSecurityHeaders, contentSecurityPolicy } from '~/lib/security-headers';

export function proxy(request: NextRequest) {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', csp);
  const https = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  for (const [name, value] of Object.entries(baseSecurityHeaders(https))) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but Next's immutable build assets (they get the static headers from next.config.ts).
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)' }],
};
