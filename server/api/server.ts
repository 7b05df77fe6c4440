/** A tRPC caller for server components, acting as the signed-in user (or anonymous). */
import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { auth } from '../auth';
import { appConfig, getDb } from '../db';
import { createCaller } from './root';
import { clientIp } from './trpc';

export const getSession = cache(() => auth());

export const serverApi = cache(async () => {
  const [session, h, db] = await Promise.all([getSession(), headers(), getDb()]);
  return createCaller({ db, userId: session?.user?.id ?? null, ip: clientIp(h), config: appConfig() });
});
