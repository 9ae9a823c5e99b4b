import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import {
  eventChannel,
  ipcEventNames,
  ipcMethodNames,
  methodChannel,
  type EngineApi,
  type IpcEnvelope,
} from '../../shared/ipc'
import type { EngineEvents } from '../core/events'
import { errorBody } from '../core/handlers'
import { isTrustedUrl } from './security'

/**
 * One ipcMain.handle per method of the contract, each calling the engine's handler map. A call
 * from a frame that is not the app's own (an iframe, a navigated page) is refused before it
 * reaches the engine.
 */
export function registerIpc(api: EngineApi, origins: string[]): () => void {
  for (const method of ipcMethodNames) {
    ipcMain.handle(
      methodChannel(method),
      async (event: IpcMainInvokeEvent, input: unknown): Promise<IpcEnvelope<unknown>> => {
        const url = event.senderFrame?.url ?? ''
        if (!isTrustedUrl(url, origins) || event.senderFrame?.parent) {
          return {
            ok: false,
            error: { code: 'FORBIDDEN', message: 'This call did not come from Portal Inbox.' },
          }
        }
        try {
          return { ok: true, result: await api[method](input as never) }
        } catch (err) {
          return { ok: false, error: errorBody(err) }
        }
      },
    )
  }
  return () => {
    for (const method of ipcMethodNames) ipcMain.removeHandler(methodChannel(method))
  }
}

/** Engine events go to the window after the engine has committed what they describe. */
export function forwardEvents(events: EngineEvents, target: () => WebContents | null): () => void {
  const offs = ipcEventNames.map((name) =>
    events.on(name, (payload) => {
      const contents = target()
      if (contents && !contents.isDestroyed()) contents.send(eventChannel(name), payload)
    }),
  )
  return () => offs.forEach((off) => off())
}
