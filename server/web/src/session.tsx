import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react'
import { io } from 'socket.io-client'
import type { Me, Person, Project, ThreadSummary } from '../../../src/shared/protocol'
import { api, ApiError } from './api'

interface PortalSession {
  me: Me | null
  /** null until the first check of the cookie session is done. */
  ready: boolean
  people: Map<string, Person>
  projects: Project[]
  threads: ThreadSummary[]
  unread: number
  /** Bumped on every live change: pages that show data refetch on it. */
  version: number
  /** The browser has a network and the live connection to the portal is up. */
  online: boolean
  refresh(): Promise<void>
  signedIn(): Promise<void>
  signOut(): Promise<void>
}

const Context = createContext<PortalSession | null>(null)

export function usePortal(): PortalSession {
  const value = useContext(Context)
  if (!value) throw new Error('usePortal outside PortalProvider')
  return value
}

/** Who is signed in, what they may see, and live updates over Socket.IO (the cookie authenticates it). */
export function PortalProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null)
  const [ready, setReady] = useState(false)
  const [people, setPeople] = useState<Map<string, Person>>(new Map())
  const [projects, setProjects] = useState<Project[]>([])
  const [threads, setThreads] = useState<ThreadSummary[]>([])
  const [version, setVersion] = useState(0)
  const [networkUp, setNetworkUp] = useState(() => navigator.onLine)
  const [liveUp, setLiveUp] = useState(true)

  useEffect(() => {
    const up = () => setNetworkUp(true)
    const down = () => setNetworkUp(false)
    window.addEventListener('online', up)
    window.addEventListener('offline', down)
    return () => {
      window.removeEventListener('online', up)
      window.removeEventListener('offline', down)
    }
  }, [])

  const load = useCallback(async () => {
    try {
      const [m, p, pr, t] = await Promise.all([
        api.me(),
        api.people(),
        api.projects(),
        api.threads(),
      ])
      setMe(m)
      setPeople(new Map(p.people.map((x) => [x.id, x])))
      setProjects(pr.projects)
      setThreads(t.threads)
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.code === 'PORTAL_ACCESS_DISABLED'))
        setMe(null)
      else throw err
    } finally {
      setReady(true)
    }
  }, [])

  useEffect(() => {
    void load().catch(() => setReady(true))
  }, [load])

  useEffect(() => {
    if (!me) return
    const socket = io({ transports: ['websocket'], withCredentials: true })
    const bump = () => {
      setVersion((v) => v + 1)
      void load().catch(() => undefined)
    }
    socket.on('changes', bump)
    socket.on('connect', () => {
      setLiveUp(true)
      bump()
    })
    // A dropped connection (not one this page closed) means the portal cannot be reached.
    socket.on('disconnect', (reason) => setLiveUp(reason === 'io client disconnect'))
    socket.on('connect_error', () => setLiveUp(false))
    socket.on('session:ended', () => setMe(null))
    return () => {
      socket.disconnect()
    }
  }, [me?.user.id, load])

  const value = useMemo<PortalSession>(
    () => ({
      me,
      ready,
      people,
      projects,
      threads,
      unread: threads.reduce((n, t) => n + t.unreadCount, 0),
      version,
      online: networkUp && liveUp,
      refresh: load,
      signedIn: load,
      async signOut() {
        await api.signOut().catch(() => undefined)
        setMe(null)
        setThreads([])
      },
    }),
    [me, ready, people, projects, threads, version, networkUp, liveUp, load],
  )
  return <Context.Provider value={value}>{children}</Context.Provider>
}
