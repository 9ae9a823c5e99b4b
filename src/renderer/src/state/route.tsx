// Where the main area is. The route is the app's own state, not the engine's: nothing reloads it.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import type { InboxView } from '../../../shared/ipc'

/** One screen, and for the inbox the view, project and open thread. */
export type Route =
  | { screen: 'inbox'; view: InboxView; projectId: string | null; threadId: string | null }
  | { screen: 'search'; query?: string }
  | { screen: 'outbox' }
  | { screen: 'settings' }
  | { screen: 'admin' }
  | { screen: 'insights' }

export interface Navigation {
  route: Route
  navigate(route: Route): void
  /** Opens a thread in the inbox, keeping the current view when there is one. */
  openThread(threadId: string | null): void
}

const RouteContext = createContext<Navigation | null>(null)

export function useRoute(): Navigation {
  const navigation = useContext(RouteContext)
  if (!navigation) throw new Error('useRoute outside RouteProvider')
  return navigation
}

/** The view the app opens on. */
export const firstInbox: { view: InboxView; projectId: string | null } = {
  view: 'all',
  projectId: null,
}

export const inboxRoute = (
  view: InboxView = firstInbox.view,
  projectId: string | null = firstInbox.projectId,
): Route => ({
  screen: 'inbox',
  view,
  projectId,
  threadId: null,
})

export function RouteProvider({ children }: { children: ReactNode }) {
  const [route, navigate] = useState<Route>(inboxRoute())
  const openThread = useCallback(
    (threadId: string | null) =>
      navigate((current) =>
        current.screen === 'inbox'
          ? { ...current, threadId }
          : { screen: 'inbox', view: 'all', projectId: null, threadId },
      ),
    [],
  )
  const value = useMemo(() => ({ route, navigate, openThread }), [route, openThread])
  return <RouteContext.Provider value={value}>{children}</RouteContext.Provider>
}
