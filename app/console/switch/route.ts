import { NextResponse, type NextRequest } from 'next/server';
import { safeRedirect } from '~/lib/safe-redirect';
import { serverApi } from '~/server/api/server';
import { ACTIVE_ORG_COOKIE } from '~/server/console';

/** Makes `?org=` the active organization, if the user belongs to it, and goes back to the console. */
export async function GET(req: NextRequest) {
  const orgId = req.nextUrl.searchParams.get('org') ?? '';
  const next = safeRedirect(req.nextUrl.searchParams.get('next'), '/console');
  const api = await serverApi();
  const orgs = await api.orgs.mine().catch(() => null);
  if (!orgs) return NextResponse.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent(next)}`, req.url));
  const res = NextResponse.redirect(new URL(next, req.url));
  if (orgs.some((o) => o.id === orgId)) {
    res.cookies.set(ACTIVE_ORG_COOKIE, orgId, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 365 });
  }
  return res;
}
