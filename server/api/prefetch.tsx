/**
 * Server components prefetch the queries their client components will ask for, and hand them over with
 * <Hydrate>, so the first paint has data instead of a spinner. The query keys are the client's own
 * (`createTRPCOptionsProxy` over the same router), so the client finds the data where it looks.
 */
import 'server-only';
import { dehydrate, HydrationBoundary, type QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import { cache, type ReactNode } from 'react';
import { makeQueryClient } from '~/lib/query-client';
import { appRouter } from './root';
import { createContext } from './trpc';

/** One QueryClient per request: React's cache() is scoped to the render. */
export const getQueryClient = cache(makeQueryClient);

export const trpcServer = createTRPCOptionsProxy({
  router: appRouter,
  ctx: async () => createContext(await headers()),
  queryClient: getQueryClient,
});

/** Fetches the queries on the server; a failed one is left for the client to retry and report as it would. */
export async function prefetch(...queries: Array<{ queryKey: readonly unknown[] }>) {
  const client = getQueryClient();
  // The options come from trpcServer's queryOptions(); their precise generic types do not survive an array.
  await Promise.all(queries.map((q) => client.prefetchQuery(q as Parameters<QueryClient['prefetchQuery']>[0])));
}

export function Hydrate({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
