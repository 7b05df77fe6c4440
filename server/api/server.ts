/** A tRPC caller for server components, acting as the signed-in user (or anonymous). */
import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { auth } from '../auth';
import { createCaller } from './root';
import { createContext } from './trpc';

export const getSession = cache(() => auth());

export const serverApi = cache(async () => createCaller(await createContext(await headers())));
