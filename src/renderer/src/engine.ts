// The renderer's one handle on the engine, and small hooks over it. Screens import `engine` and
// call the contract's methods; they never see a transport.
import { useEffect, useRef } from 'react'
import type { IpcEvent, IpcEvents } from '../../shared/ipc'
import { connectEngine } from './bridge'

export const engine = connectEngine()

/** Subscribes to an engine event for the component's lifetime; the latest listener is always called. */
export function useEngineEvent<K extends IpcEvent>(
  event: K,
  listener: (payload: IpcEvents[K]) => void,
): void {
  const latest = useRef(listener)
  latest.current = listener
  useEffect(() => engine.on(event, (payload) => latest.current(payload)), [event])
}

/**
 * A failure's sentence for a person. The engine's errors (they carry a code, over either
 * transport) already say what happened and what to do; anything else is a program's message
 * ("Cannot read properties of undefined"), written for developers, and never shown as it is.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.message)
    return err.message
  return 'Something went wrong in Portal Inbox. Try again; if it keeps happening, restart the app.'
}
