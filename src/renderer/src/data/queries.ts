// The renderer's reads of the engine, one query per contract method. A key is the method's name
// and its input (`['openThread', { threadId, limit }]`), so the invalidation bridge can name what
// changed by prefix: `['openThread', { threadId }]` is every loaded window of that thread.
import { queryOptions } from '@tanstack/react-query'
import type { IpcInputs, IpcResults } from '../../../shared/ipc'
import { engine } from '../engine'

/** The contract methods the renderer reads through the query cache. */
export type EngineRead =
  | 'getConnection'
  | 'listPeople'
  | 'listProjects'
  | 'getSettings'
  | 'viewCounts'
  | 'listOutbox'
  | 'listThreads'
  | 'openThread'
  | 'insights'
  | 'search'
  | 'getCompanySettings'
  | 'getNotificationPreferences'
  // issue 14: held replies
  | 'heldReplies'
  // issue 14: who is notified
  | 'whoIsNotified'
  // issue 14: people
  | 'getDigestSchedule'
  // issue 14: settings
  | 'getEmailAlerts'
  | 'desktopAlertState'
  | 'myMail'
  | 'personMail'

/** A method's key, or with part of its input the prefix of every key that input matches. */
export function engineKey<M extends EngineRead>(method: M, input?: Partial<IpcInputs[M]>) {
  return input === undefined ? ([method] as const) : ([method, input] as const)
}

/** One method's query: its key and the call that answers it. */
export function engineQuery<M extends EngineRead>(method: M, input: IpcInputs[M]) {
  const call = engine[method] as unknown as (input: IpcInputs[M]) => Promise<IpcResults[M]>
  return queryOptions({
    queryKey: [method, input] as readonly [M, IpcInputs[M]],
    queryFn: () => call(input),
  })
}
