import { vi } from 'vitest'
import type { ChangesEvent } from '../../src/shared/protocol'
import type { LiveSocket } from './live'

/** The first 'changes' event on this socket that matches, waited for as long as a push may take. */
export function nextChange(
  socket: LiveSocket,
  predicate: (e: ChangesEvent) => boolean,
  timeoutMs = 5000,
): Promise<ChangesEvent> {
  return vi.waitFor(
    () => {
      const event = socket.changes.find(predicate)
      if (!event) throw new Error('no matching live event')
      return event
    },
    { timeout: timeoutMs, interval: 25 },
  )
}
