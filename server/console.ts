/**
 * What every console page needs: the signed-in user and the active organization. The active org is a cookie
 * chosen through /console/switch, always re-checked against the user's memberships.
 */
import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { serverApi } from './api/server';

export const ACTIVE_ORG_COOKIE = 'plinth-org';

export const getConsoleContext = cache(async () => {
  const api = await serverApi();
  const me = await api.auth.me().catch(() => null);
  if (!me) redirect('/sign-in?callbackUrl=/console');
  const orgs = await api.orgs.mine();
  if (orgs.length === 0) redirect('/onboarding');
  const wanted = (await cookies()).get(ACTIVE_ORG_COOKIE)?.value;
  const org = orgs.find((o) => o.id === wanted) ?? orgs[0]!;
  return { me, orgs, org };
});
