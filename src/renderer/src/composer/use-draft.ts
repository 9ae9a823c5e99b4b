import { useCallback, useEffect, useRef, useState } from 'react'
import type { IpcInputs } from '../../../shared/ipc'
import { engine } from '../engine'

export type DraftFields = { body: string; internal: boolean; subject?: string; projectId?: string }
const empty: DraftFields = { body: '', internal: false }

const same = (a: DraftFields, b: DraftFields) =>
  a.body === b.body &&
  a.internal === b.internal &&
  a.subject === b.subject &&
  a.projectId === b.projectId

/**
 * A draft kept in the engine's cache under a key (a thread id, or "new"): loaded when the form
 * opens (handed to `onLoaded`), written half a second after the last `save` and when the form
 * goes away, so it survives a restart of the app. It holds no copy of the values: the form that
 * uses it keeps them, so there is one copy of what was typed. A save the engine refuses is said
 * (`problem`) until a later one succeeds: words that are not kept must not look kept.
 */
export function useDraftStore(key: string, onLoaded: (loaded: DraftFields) => void) {
  const latest = useRef<DraftFields>(empty)
  const dirty = useRef(false)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const loaded = useRef(onLoaded)
  loaded.current = onLoaded
  const [problem, setProblem] = useState<string | null>(null)

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    if (!dirty.current) return
    dirty.current = false
    const d = latest.current
    const input: IpcInputs['saveDraft'] = { key, body: d.body, internal: d.internal }
    if (d.subject !== undefined) input.subject = d.subject
    if (d.projectId !== undefined) input.projectId = d.projectId
    engine.saveDraft(input).then(
      () => setProblem(null),
      () =>
        setProblem(
          'This draft could not be kept on this computer, so closing the window would lose it: copy what you wrote somewhere safe, or send it.',
        ),
    )
  }, [key])

  useEffect(() => {
    let live = true
    void engine.getDraft({ key }).then((saved) => {
      // Typing that began before the draft loaded wins.
      if (!live || !saved || dirty.current) return
      const fields: DraftFields = { body: saved.body, internal: saved.internal }
      if (saved.subject !== undefined) fields.subject = saved.subject
      if (saved.projectId !== undefined) fields.projectId = saved.projectId
      latest.current = fields
      loaded.current(fields)
    })
    // A reload or a closed window does not unmount the form: what was typed in the last half
    // second goes out as the page goes away, not lost with the timer.
    window.addEventListener('pagehide', flush)
    return () => {
      live = false
      window.removeEventListener('pagehide', flush)
      flush()
    }
  }, [key, flush])

  const save = useCallback(
    (fields: DraftFields) => {
      // The loaded draft put back into the form is not a change to write again.
      if (same(fields, latest.current)) return
      latest.current = fields
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
    void engine.deleteDraft({ key }).catch(() => undefined)
  }, [key])

  return { save, clear, problem }
}

/** The draft as state of its own, for a box with no form around it (the reply box). */
export function useDraft(key: string) {
  const [draft, setState] = useState<DraftFields>(empty)
  const latest = useRef(draft)
  const store = useDraftStore(key, (fields) => {
    latest.current = fields
    setState(fields)
  })
  const { save, clear: forget, problem } = store

  const update = useCallback(
    (patch: Partial<DraftFields>) => {
      latest.current = { ...latest.current, ...patch }
      setState(latest.current)
      save(latest.current)
    },
    [save],
  )

  const clear = useCallback(() => {
    latest.current = empty
    setState(empty)
    forget()
  }, [forget])

  return [draft, update, clear, problem] as const
}
