/** Guards /admin pages. Layouts and pages render in parallel in the App Router, so each page calls this too. */
import 'server-only';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { serverApi } from './api/server';

export const requireStaff = cache(async () => {
  const api = await serverApi();
  const me = await api.auth.me().catch(() => null);
  if (!me) redirect('/sign-in?callbackUrl=/admin');
  if (me.staffRole === 'none') redirect('/console');
  return { api, me };
});
