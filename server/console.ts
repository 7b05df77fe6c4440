/**
 * What every console page needs: the signed-in user and the organization the URL names. `proxy.ts` rewrites
 * `/o/{slug}/…` to `/console/…` and passes the slug in a header; it is always re-checked against the user's
 * memberships, and a slug the user has no membership of is a 404 (the same answer as an org that does not
 * exist, so a URL does not tell strangers which organizations exist). An old `/console/…` URL redirects into
 * the organization opened last (a cookie `proxy.ts` keeps), or the first one.
 */
import 'server-only';
import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { consoleHref, LAST_ORG_COOKIE, LEGACY_PATH_HEADER, ORG_SLUG_HEADER } from '~/lib/console-href';
import { safeRedirect } from '~/lib/safe-redirect';
import { serverApi } from './api/server';

export const getConsoleContext = cache(async () => {
  const [api, h] = await Promise.all([serverApi(), headers()]);
  const slug = h.get(ORG_SLUG_HEADER);
  const legacyPath = h.get(LEGACY_PATH_HEADER);
  const me = await api.auth.me().catch(() => null);
  if (!me) {
    const back = slug !== null ? consoleHref(slug) : `/console${legacyPath ?? ''}`;
    redirect(`/sign-in?callbackUrl=${encodeURIComponent(safeRedirect(back, '/console'))}`);
  }
  const orgs = await api.orgs.mine();
  const staff = me.staffRole !== 'none';
  // Staff signing in land on the internal console (the sign-in default is bare /console), not on onboarding.
  if (orgs.length === 0) redirect(staff ? '/admin' : '/onboarding');
  if (slug === null) {
    if (staff && !legacyPath) redirect('/admin');
    const last = (await cookies()).get(LAST_ORG_COOKIE)?.value;
    const org = orgs.find((o) => o.slug === last) ?? orgs[0]!;
    const rest = legacyPath ? safeRedirect(legacyPath, '') : '';
    redirect(consoleHref(org.slug, rest === '' || rest === '/' ? '/deployments' : rest));
  }
  const org = orgs.find((o) => o.slug === slug);
  if (!org) notFound();
  return { me, orgs, org };
});
