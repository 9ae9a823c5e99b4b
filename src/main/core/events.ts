import type { IpcEvent, IpcEvents } from '../../shared/ipc'

type Listener<K extends IpcEvent> = (payload: IpcEvents[K]) => void

/** The engine's events, typed by the IPC contract; the Electron glue and the host forward them as they are. */
export class EngineEvents {
  private readonly listeners = new Map<IpcEvent, Set<Listener<IpcEvent>>>()

  on<K extends IpcEvent>(event: K, listener: Listener<K>): () => void {
    const set = this.listeners.get(event) ?? new Set()
    set.add(listener as Listener<IpcEvent>)
    this.listeners.set(event, set)
    return () => set.delete(listener as Listener<IpcEvent>)
  }

  emit<K extends IpcEvent>(event: K, payload: IpcEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload)
      } catch {
        // A failing listener must not stop the engine or the other listeners.
      }
    }
  }

  changed(partial: Partial<IpcEvents['changed']>): void {
    this.emit('changed', {
      threadIds: [],
      projects: false,
      people: false,
      settings: false,
      outbox: false,
      ...partial,
    })
  }
}
