import { useCallback, useEffect, useRef, useState } from 'react'
import type { IpcInputs } from '../../../shared/ipc'
import { engine } from '../engine'

type DraftFields = { body: string; internal: boolean; subject?: string; projectId?: string }
const empty: DraftFields = { body: '', internal: false }

/**
 * A draft kept in the engine's cache under a key (a thread id, or "new"): loaded when the form
 * opens, written half a second after the last keystroke and when the form goes away, so it
 * survives a restart of the app.
 */
export function useDraft(key: string) {
  const [draft, setState] = useState<DraftFields>(empty)
  const latest = useRef(draft)
  const dirty = useRef(false)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    if (!dirty.current) return
    dirty.current = false
    const d = latest.current
    const input: IpcInputs['saveDraft'] = { key, body: d.body, internal: d.internal }
    if (d.subject !== undefined) input.subject = d.subject
    if (d.projectId !== undefined) input.projectId = d.projectId
    void engine.saveDraft(input).catch(() => undefined)
  }, [key])

  useEffect(() => {
    let live = true
    void engine.getDraft({ key }).then((saved) => {
      // Typing that began before the draft loaded wins.
      if (!live || !saved || dirty.current) return
      const loaded: DraftFields = { body: saved.body, internal: saved.internal }
      if (saved.subject !== undefined) loaded.subject = saved.subject
      if (saved.projectId !== undefined) loaded.projectId = saved.projectId
      latest.current = loaded
      setState(loaded)
    })
    return () => {
      live = false
      flush()
    }
  }, [key, flush])

  const update = useCallback(
    (patch: Partial<DraftFields>) => {
      latest.current = { ...latest.current, ...patch }
      setState(latest.current)
      dirty.current = true
      if (timer.current) clearTimeout(timer.current)
      timer.current = setTimeout(flush, 500)
    },
    [flush],
  )

  const clear = useCallback(() => {
    if (timer.current) clearTimeout(timer.current)
    dirty.current = false
    latest.current = empty
    setState(empty)
    void engine.deleteDraft({ key }).catch(() => undefined)
  }, [key])

  return [draft, update, clear] as const
}
