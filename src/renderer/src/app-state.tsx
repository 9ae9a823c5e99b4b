// What every screen needs to know about the signed-in session: the connection, the directory
// (people, projects, settings) and the view counts, each refreshed when the engine says it changed.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react'
import type { Connection, InboxView, IpcResults, OutboxEntry } from '../../shared/ipc'
import type { CompanySettings, Person, Project, PublicSettings } from '../../shared/protocol'
import { engine, useEngineEvent } from './engine'

/** Where the main area is: one screen, and for the inbox the view, project and open thread. */
export type Route =
  | { screen: 'inbox'; view: InboxView; projectId: string | null; threadId: string | null }
  | { screen: 'search'; query?: string }
  | { screen: 'outbox' }
  | { screen: 'settings' }
  | { screen: 'admin' }
  | { screen: 'insights' }

export interface AppState {
  connection: Connection
  me: Person | null
  isAdmin: boolean
  people: Person[]
  peopleById: Map<string, Person>
  projects: Project[]
  projectsById: Map<string, Project>
  settings: CompanySettings | PublicSettings | null
  counts: IpcResults['viewCounts'] | null
  outbox: OutboxEntry[]
  route: Route
  navigate(route: Route): void
  /** Opens a thread in the inbox, keeping the current view when there is one. */
  openThread(threadId: string | null): void
}

const AppContext = createContext<AppState | null>(null)

export function useApp(): AppState {
  const state = useContext(AppContext)
  if (!state) throw new Error('useApp outside AppProvider')
  return state
}

export const inboxRoute = (view: InboxView = 'all', projectId: string | null = null): Route => ({
  screen: 'inbox',
  view,
  projectId,
  threadId: null,
})

export function AppProvider({
  connection,
  children,
}: {
  connection: Connection
  children: ReactNode
}) {
  const [people, setPeople] = useState<Person[]>([])
  const [projects, setProjects] = useState<Project[]>([])
  const [settings, setSettings] = useState<CompanySettings | PublicSettings | null>(null)
  const [counts, setCounts] = useState<IpcResults['viewCounts'] | null>(null)
  const [outbox, setOutbox] = useState<OutboxEntry[]>([])
  const [route, setRoute] = useState<Route>(inboxRoute())

  const loadDirectory = useCallback(() => {
    void engine.listPeople({}).then(setPeople)
    void engine.listProjects({}).then(setProjects)
    void engine.getSettings({}).then(setSettings)
  }, [])
  // A synced batch sends `changed` and then `badge`, which reach the page as separate socket
  // messages: one count query (~35 ms at 100k threads) answers both, so calls within 25 ms
  // share one.
  const countsQueued = useRef(false)
  const loadCounts = useCallback(() => {
    if (countsQueued.current) return
    countsQueued.current = true
    setTimeout(() => {
      countsQueued.current = false
      void engine.viewCounts({}).then(setCounts)
    }, 25)
  }, [])
  const loadOutbox = useCallback(() => void engine.listOutbox({}).then(setOutbox), [])

  useEffect(() => {
    loadDirectory()
    loadCounts()
    loadOutbox()
  }, [loadDirectory, loadCounts, loadOutbox, connection.user?.id])

  useEngineEvent('changed', (change) => {
    if (change.people || change.projects || change.settings) loadDirectory()
    if (change.outbox) loadOutbox()
    if (change.threadIds.length || change.projects) loadCounts()
  })
  useEngineEvent('badge', loadCounts)

  const navigate = useCallback((next: Route) => setRoute(next), [])
  const openThread = useCallback(
    (threadId: string | null) =>
      setRoute((current) =>
        current.screen === 'inbox'
          ? { ...current, threadId }
          : { screen: 'inbox', view: 'all', projectId: null, threadId },
      ),
    [],
  )

  const value = useMemo<AppState>(() => {
    const me = connection.user
    return {
      connection,
      me,
      isAdmin: me?.role === 'admin',
      people,
      peopleById: new Map(people.map((p) => [p.id, p])),
      projects,
      projectsById: new Map(projects.map((p) => [p.id, p])),
      settings,
      counts,
      outbox,
      route,
      navigate,
      openThread,
    }
  }, [connection, people, projects, settings, counts, outbox, route, navigate, openThread])

  return <AppContext.Provider value={value}>{children}</AppContext.Provider>
}
