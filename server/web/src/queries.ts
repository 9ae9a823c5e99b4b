import { QueryClient, queryOptions } from '@tanstack/react-query'
import { api, ApiError } from './api'

/**
 * Every query key of the portal page, one per API call. The live bridge (live.ts) invalidates by
 * these keys, so a page reloads only what a push says has changed.
 */
export const keys = {
  me: ['me'] as const,
  people: ['people'] as const,
  projects: ['projects'] as const,
  threads: ['threads'] as const,
  thread: (threadId: string) => ['thread', threadId] as const,
  messages: (threadId: string) => ['messages', threadId] as const,
  search: (q: string) => ['search', q] as const,
}

/** Signed out (or portal access turned off) is an answer, not an error: the sign-in page. */
const signedOut = (err: unknown) =>
  err instanceof ApiError && (err.status === 401 || err.code === 'PORTAL_ACCESS_DISABLED')

export const queries = {
  me: () =>
    queryOptions({
      queryKey: keys.me,
      queryFn: () =>
        api.me().catch((err: unknown) => {
          if (signedOut(err)) return null
          throw err
        }),
    }),
  people: () => queryOptions({ queryKey: keys.people, queryFn: api.people }),
  projects: () => queryOptions({ queryKey: keys.projects, queryFn: api.projects }),
  threads: () => queryOptions({ queryKey: keys.threads, queryFn: () => api.threads() }),
  thread: (threadId: string) =>
    queryOptions({ queryKey: keys.thread(threadId), queryFn: () => api.thread(threadId) }),
  messages: (threadId: string) =>
    queryOptions({ queryKey: keys.messages(threadId), queryFn: () => api.messages(threadId) }),
  search: (q: string) =>
    queryOptions({ queryKey: keys.search(q), queryFn: () => api.search(q), enabled: !!q.trim() }),
}

/**
 * The page's own calls answer at once, and the server pushes nothing twice: no refetch on focus
 * or reconnect (the live bridge refetches when the socket comes back) and no silent retries (a
 * failure is said on the page, as it happens).
 */
export function portalQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  })
}
