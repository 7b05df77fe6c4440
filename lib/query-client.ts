/**
 * One QueryClient recipe for the browser and for server components that prefetch: the same staleness, and
 * superjson on both sides of hydration so Dates prefetched on the server arrive as Dates.
 */
import { QueryClient } from '@tanstack/react-query';
import superjson from 'superjson';

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // Prefetched data is fresh for a few seconds, so the client does not refetch it right after hydrating.
      queries: { staleTime: 5_000, retry: 1 },
      dehydrate: { serializeData: superjson.serialize },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
