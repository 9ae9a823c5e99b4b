// What waits for the signed-in person: the view counts and the outbox.
import { useQuery } from '@tanstack/react-query'
import type { IpcResults, OutboxEntry } from '../../../shared/ipc'
import { engineQuery } from '../data/queries'

export function useViewCounts(): IpcResults['viewCounts'] | null {
  return useQuery(engineQuery('viewCounts', {})).data ?? null
}

const empty: OutboxEntry[] = []
export function useOutbox(): OutboxEntry[] {
  return useQuery(engineQuery('listOutbox', {})).data ?? empty
}
