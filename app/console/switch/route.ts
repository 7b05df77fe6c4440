import { NextResponse, type NextRequest } from 'next/server';
import { consoleHref } from '~/lib/console-href';
import { safeRedirect } from '~/lib/safe-redirect';
import { serverApi } from '~/server/api/server';

/**
 * Old links and flows that know only an org id (`?org=`): goes to that organization's console, if the user
 * belongs to it. `next` is a path on this site; a console path (`/console/…`) is taken into the chosen org.
 */
export async function GET(req: NextRequest) {
  const orgId = req.nextUrl.searchParams.get('org') ?? '';
  const next = safeRedirect(req.nextUrl.searchParams.get('next'), '/console');
  const api = await serverApi();
  const orgs = await api.orgs.mine().catch(() => null);
  if (!orgs) return NextResponse.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent(next)}`, req.url));
  const org = orgs.find((o) => o.id === orgId);
  const rest = next === '/console' ? '/deployments' : next.startsWith('/console/') ? next.slice('/console'.length) : null;
  const target = org && rest !== null ? consoleHref(org.slug, rest) : next;
  return NextResponse.redirect(new URL(target, req.url));
}
