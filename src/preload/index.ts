// The bridge: one function per method of the contract, built by iterating the method names, and
// a subscription per event. Nothing else of Electron or Node reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { DownloadReport, IpcEnvelope, IpcEvent, IpcEvents } from '../shared/ipc'
import {
  COMMAND_CHANNEL,
  DOWNLOAD_CHANNEL,
  eventChannel,
  ipcEventNames,
  ipcMethodNames,
  methodChannel,
} from '../shared/ipc-names'

const methods = Object.fromEntries(
  ipcMethodNames.map((method) => [
    method,
    async (input: unknown) => {
      const envelope = (await ipcRenderer.invoke(
        methodChannel(method),
        input,
      )) as IpcEnvelope<unknown>
      if (envelope.ok) return envelope.result
      throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code })
    },
  ]),
)

const bridge = {
  ...methods,
  on<K extends IpcEvent>(event: K, listener: (payload: IpcEvents[K]) => void): () => void {
    if (!(ipcEventNames as readonly string[]).includes(event))
      throw new Error(`Unknown event ${event}`)
    const handler = (_e: IpcRendererEvent, payload: IpcEvents[K]) => listener(payload)
    ipcRenderer.on(eventChannel(event), handler)
    return () => ipcRenderer.removeListener(eventChannel(event), handler)
  },
  onCommand(listener: (command: string) => void): () => void {
    const handler = (_e: IpcRendererEvent, command: string) => listener(command)
    ipcRenderer.on(COMMAND_CHANNEL, handler)
    return () => ipcRenderer.removeListener(COMMAND_CHANNEL, handler)
  },
  /** How each file the page saved ended (Electron's Save dialog answered, closed, or failed). */
  onDownload(listener: (report: DownloadReport) => void): () => void {
    const handler = (_e: IpcRendererEvent, report: DownloadReport) => listener(report)
    ipcRenderer.on(DOWNLOAD_CHANNEL, handler)
    return () => ipcRenderer.removeListener(DOWNLOAD_CHANNEL, handler)
  },
  platform: 'electron' as const,
}

export type Bridge = typeof bridge
contextBridge.exposeInMainWorld('portalInbox', bridge)
