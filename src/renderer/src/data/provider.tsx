import { QueryClientProvider } from '@tanstack/react-query'
import { useEffect, useState, type ReactNode } from 'react'
import { engine } from '../engine'
import { bridgeEngineToQueries } from './invalidation'
import { createQueryClient } from './query-client'

/** The query cache of the engine's reads, kept current by the engine's events for as long as it is mounted. */
export function EngineDataProvider({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient)
  useEffect(() => bridgeEngineToQueries(client, engine), [client])
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>
}
