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

/** A failure's sentence for a person: the engine's errors already say what happened and what to do. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message
  return 'Something went wrong. Try again.'
}
