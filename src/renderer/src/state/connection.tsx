// The signed-in session's connection to the portal server, as the engine last reported it.
import { createContext, useContext } from 'react'
import type { Connection } from '../../../shared/ipc'
import type { Person } from '../../../shared/protocol'

const ConnectionContext = createContext<Connection | null>(null)

/** Provided by the app once someone is signed in (main.tsx). */
export const ConnectionProvider = ConnectionContext.Provider

export function useConnection(): Connection {
  const connection = useContext(ConnectionContext)
  if (!connection) throw new Error('useConnection outside ConnectionProvider')
  return connection
}

/** The signed-in person, and whether they may change the company's settings. */
export function useMe(): { me: Person | null; isAdmin: boolean } {
  const me = useConnection().user
  return { me, isAdmin: me?.role === 'admin' }
}
