// The one place that turns the engine's events into query-cache updates. The `changed` event
// names what the engine committed (thread ids, and flags for the directory, settings and outbox),
// so each query reloads only when what it shows changed: a thread's pane only for that thread.
import type { QueryClient } from '@tanstack/react-query'
import type { Connection, IpcEvents } from '../../../shared/ipc'
import type { Bridge } from '../bridge'
import { engineKey, engineQuery } from './queries'

// Insights count every message in the range (~100 ms on a big cache): a burst of changes while
// the screen is open is answered once it settles.
const INSIGHTS_SETTLE_MS = 1500

export function bridgeEngineToQueries(client: QueryClient, engine: Bridge): () => void {
  let insightsTimer: ReturnType<typeof setTimeout> | null = null
  const invalidate = (key: readonly unknown[]) => void client.invalidateQueries({ queryKey: key })
  // A synced batch sends `changed` and then `badge`: the second joins the count query the first
  // started instead of cancelling it.
  const recount = () =>
    void client.invalidateQueries({ queryKey: engineKey('viewCounts') }, { cancelRefetch: false })

  const changed = (change: IpcEvents['changed']) => {
    const threads = change.threadIds.length > 0
    if (change.people || change.projects || change.settings) {
      invalidate(engineKey('listPeople'))
      invalidate(engineKey('listProjects'))
      invalidate(engineKey('getSettings'))
    }
    if (change.settings) invalidate(engineKey('getCompanySettings'))
    if (change.outbox) invalidate(engineKey('listOutbox'))
    if (threads || change.projects) recount()
    if (threads || change.projects || change.people) {
      // Pages of a list out of view are forgotten rather than refetched, so nothing stale shows
      // when they scroll back in; the pages on screen reload in place.
      client.removeQueries({ queryKey: engineKey('listThreads'), type: 'inactive' })
      invalidate(engineKey('listThreads'))
      if (insightsTimer) clearTimeout(insightsTimer)
      insightsTimer = setTimeout(() => {
        insightsTimer = null
        invalidate(engineKey('insights'))
      }, INSIGHTS_SETTLE_MS)
    }
    // Open threads show names and outbox states as well as their messages.
    if (change.people || change.outbox) invalidate(engineKey('openThread'))
    else for (const threadId of change.threadIds) invalidate(engineKey('openThread', { threadId }))
    // Who is notified follows the thread's participants and assignee, and the people's access.
    if (change.people || change.projects) invalidate(engineKey('whoIsNotified'))
    else for (const threadId of change.threadIds) invalidate(engineKey('whoIsNotified', { threadId }))
    // Results on screen stay as they were searched; the same query asked again is searched anew.
    if (threads)
      void client.invalidateQueries({ queryKey: engineKey('search'), refetchType: 'none' })
  }

  const off = [
    engine.on('changed', changed),
    engine.on('badge', recount),
    engine.on('connection', (next) => applyConnection(client, next)),
  ]
  return () => {
    for (const stop of off) stop()
    if (insightsTimer) clearTimeout(insightsTimer)
  }
}

/** The engine's connection as it now is: from its event, or from signing in. */
export function applyConnection(client: QueryClient, next: Connection): void {
  const { queryKey } = engineQuery('getConnection', {})
  // Someone else signed in, or no one is: nothing of the last person's session may show.
  if (client.getQueryData(queryKey)?.user?.id !== next.user?.id)
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'getConnection' })
  client.setQueryData(queryKey, next)
}
