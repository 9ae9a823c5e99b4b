import { QueryClient } from '@tanstack/react-query'

/**
 * The engine tells the renderer when something changed (src/shared/ipc.ts `changed`), so what the
 * cache holds is fresh until the invalidation bridge says otherwise: no refetch on focus, on
 * reconnect or on a timer, and no retry (the engine's refusals are answers: "You are offline").
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: Infinity,
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
    },
  })
}
