import { useCallback, useEffect, useRef, useState } from 'react'
import type { InboxThread, InboxView } from '../../../shared/ipc'
import { engine, useEngineEvent } from '../engine'

const PAGE_SIZE = 100

/**
 * The rows of one inbox view, fetched a page at a time as the list scrolls. With 100k threads in
 * the cache only the pages on screen are ever asked for; a change in the cache refetches the
 * pages in view and forgets the rest, so nothing stale shows when they scroll back in.
 */
export function useThreadPages(view: InboxView, projectId: string | null) {
  const [total, setTotal] = useState<number | null>(null)
  const [, setVersion] = useState(0)
  const pages = useRef(new Map<number, InboxThread[]>())
  const inFlight = useRef(new Set<number>())
  const generation = useRef(0)
  const visible = useRef<[number, number]>([0, 0])

  const load = useCallback(
    (page: number) => {
      if (inFlight.current.has(page)) return
      inFlight.current.add(page)
      const asked = generation.current
      void engine
        .listThreads({
          view,
          ...(projectId ? { projectId } : {}),
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
        })
        .then(({ threads, total }) => {
          if (asked !== generation.current) return
          pages.current.set(page, threads)
          setTotal(total)
          setVersion((v) => v + 1)
        })
        .finally(() => inFlight.current.delete(page))
    },
    [view, projectId],
  )

  // A new view starts empty.
  useEffect(() => {
    generation.current++
    pages.current = new Map()
    inFlight.current = new Set()
    setTotal(null)
    load(0)
  }, [load])

  const refresh = useCallback(() => {
    generation.current++
    inFlight.current = new Set()
    const [first, last] = visible.current
    const keep = new Map<number, InboxThread[]>()
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) {
      const rows = pages.current.get(p)
      if (rows) keep.set(p, rows)
    }
    if (!keep.size) keep.set(0, pages.current.get(0) ?? [])
    pages.current = keep
    for (const p of keep.keys()) load(p)
  }, [load])

  useEngineEvent('changed', (change) => {
    if (change.threadIds.length || change.projects || change.people) refresh()
  })

  /** The row at an index, or null while its page loads (the first call asks for it). */
  const row = useCallback(
    (index: number): InboxThread | null => {
      const page = Math.floor(index / PAGE_SIZE)
      const rows = pages.current.get(page)
      if (!rows) {
        load(page)
        return null
      }
      return rows[index % PAGE_SIZE] ?? null
    },
    [load],
  )

  const setVisible = useCallback((first: number, last: number) => {
    visible.current = [first, last]
  }, [])

  return { total, row, setVisible }
}
