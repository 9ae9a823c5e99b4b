import { useQuery, useQueryClient } from '@tanstack/react-query'
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { io } from 'socket.io-client'
import {
  ChangesEvent,
  type Me,
  type Person,
  type Project,
  type ThreadSummary,
} from '../../../src/shared/protocol'
import { api } from './api'
import { applyPush } from './live'
import { keys, queries } from './queries'

interface PortalSession {
  me: Me | null
  /** False until the first check of the cookie session (and, signed in, the first load) is done. */
  ready: boolean
  people: Map<string, Person>
  projects: Project[]
  threads: ThreadSummary[]
  unread: number
  /** The browser has a network and the live connection to the portal is up. */
  online: boolean
  /** After signing in or setting a password: everything is asked for again. */
  signedIn(): Promise<void>
  signOut(): Promise<void>
}

const Context = createContext<PortalSession | null>(null)

export function usePortal(): PortalSession {
  const value = useContext(Context)
  if (!value) throw new Error('usePortal outside PortalProvider')
  return value
}

const noThreads: ThreadSummary[] = []
const noProjects: Project[] = []

/** Who is signed in, what they may see, and live updates over Socket.IO (the cookie authenticates it). */
export function PortalProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient()
  const meQuery = useQuery(queries.me())
  const me = meQuery.data ?? null
  const signedIn = me !== null
  const peopleQuery = useQuery({ ...queries.people(), enabled: signedIn })
  const projectsQuery = useQuery({ ...queries.projects(), enabled: signedIn })
  const threadsQuery = useQuery({ ...queries.threads(), enabled: signedIn })
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

  const people = useMemo(
    () => new Map((peopleQuery.data?.people ?? []).map((p) => [p.id, p])),
    [peopleQuery.data],
  )

  useEffect(() => {
    if (!me) return
    const socket = io({ transports: ['websocket'], withCredentials: true })
    socket.on('changes', (event: unknown) => {
      const parsed = ChangesEvent.safeParse(event)
      const known = client.getQueryData(queries.people().queryKey)?.people
      // A push this page cannot read still means something changed: ask for all of it again.
      if (!parsed.success) void client.invalidateQueries()
      else
        void applyPush(client, parsed.data.changes, known && new Map(known.map((p) => [p.id, p])))
    })
    socket.on('connect', () => {
      setLiveUp(true)
      // Pushes sent while the connection was down are lost: ask for everything again.
      void client.invalidateQueries()
    })
    // A dropped connection (not one this page closed) means the portal cannot be reached.
    socket.on('disconnect', (reason) => setLiveUp(reason === 'io client disconnect'))
    socket.on('connect_error', () => setLiveUp(false))
    socket.on('session:ended', () => forget(client))
    return () => {
      socket.disconnect()
    }
  }, [me?.user.id, client])

  const loading = [peopleQuery, projectsQuery, threadsQuery].some((q) => q.isPending)
  const threads = threadsQuery.data?.threads ?? noThreads
  const value = useMemo<PortalSession>(
    () => ({
      me,
      ready: !meQuery.isPending && (!me || !loading),
      people,
      projects: projectsQuery.data?.projects ?? noProjects,
      threads,
      unread: threads.reduce((n, t) => n + t.unreadCount, 0),
      online: networkUp && liveUp,
      signedIn: () => client.invalidateQueries(),
      async signOut() {
        await api.signOut().catch(() => undefined)
        forget(client)
      },
    }),
    [
      me,
      meQuery.isPending,
      loading,
      people,
      projectsQuery.data,
      threads,
      networkUp,
      liveUp,
      client,
    ],
  )
  return <Context.Provider value={value}>{children}</Context.Provider>
}

/** Signed out: nothing of the last person stays in the page's cache. */
function forget(client: ReturnType<typeof useQueryClient>) {
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] })
  client.setQueryData(keys.me, null)
}
