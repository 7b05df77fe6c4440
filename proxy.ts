/**
 * Runs before every request (Next 16's successor to middleware): a fresh CSP nonce per page request, handed to
 * Next on the request headers (it stamps its own scripts with it) and sent to the browser with the policy; and
 * the security headers on every response. Nothing here touches the session or the database.
 *
 * Console URLs carry the organization (`/o/{slug}/…`, `lib/console-href.ts`); the pages live under
 * `app/console/`, so `/o/{slug}/rest` is rewritten to `/console/rest` with the slug in a request header that
 * `getConsoleContext()` checks against the caller's memberships. An old `/console/…` URL is passed through
 * marked as such, and `getConsoleContext()` redirects it into the last organization opened.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { LAST_ORG_COOKIE, LEGACY_PATH_HEADER, ORG_SLUG_HEADER, parseOrgPath } from '~/lib/console-href';
import { baseSecurityHeaders, contentSecurityPolicy } from '~/lib/security-headers';

export function proxy(request: NextRequest) {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  // Only this function may say which organization a request is for: a client's own copy is dropped.
  requestHeaders.delete(ORG_SLUG_HEADER);
  requestHeaders.delete(LEGACY_PATH_HEADER);

  const { pathname, search } = request.nextUrl;
  const org = parseOrgPath(pathname);
  let response: NextResponse;
  if (org) {
    requestHeaders.set(ORG_SLUG_HEADER, org.slug);
    const target = request.nextUrl.clone();
    target.pathname = `/console${org.rest}`;
    response = NextResponse.rewrite(target, { request: { headers: requestHeaders } });
    response.cookies.set(LAST_ORG_COOKIE, org.slug, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 365 });
  } else {
    if (pathname === '/console' || pathname.startsWith('/console/')) {
      requestHeaders.set(LEGACY_PATH_HEADER, `${pathname.slice('/console'.length)}${search}`);
    }
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set('content-security-policy', csp);
  const https = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  for (const [name, value] of Object.entries(baseSecurityHeaders(https))) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but Next's immutable build assets (they get the static headers from next.config.ts).
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|icon.svg).*)' }],
};
