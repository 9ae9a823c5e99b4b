import { useQueries } from '@tanstack/react-query'
import { useCallback, useState } from 'react'
import type { InboxThread, InboxView } from '../../../shared/ipc'
import { engineQuery } from '../data/queries'

const PAGE_SIZE = 100

/**
 * The rows of one inbox view, fetched a page at a time as the list scrolls. With 100k threads in
 * the cache only the pages on screen are ever asked for. Each page is its own `listThreads` query:
 * a change in the cache reloads the pages in view and forgets the rest (data/invalidation.ts), so
 * nothing stale shows when they scroll back in.
 */
export function useThreadPages(view: InboxView, projectId: string | null) {
  const list = `${view}:${projectId ?? ''}`
  // The pages the list shows, and any other a caller asked a row of; a new view starts at the top.
  const [wanted, setWanted] = useState({ list, first: 0, last: 0, extra: [] as number[] })
  const current = wanted.list === list ? wanted : { list, first: 0, last: 0, extra: [] }
  if (current !== wanted) setWanted(current)

  const pages = [...new Set([...range(current.first, current.last), ...current.extra])]
  const answers = useQueries({
    queries: pages.map((page) => threadPageQuery(view, projectId, page)),
  })
  const loaded = new Map<number, InboxThread[]>()
  let total: number | null = null
  for (const [i, answer] of answers.entries()) {
    if (!answer.data) continue
    loaded.set(pages[i]!, answer.data.threads)
    total ??= answer.data.total
  }

  /** The row at an index, or null while its page loads (the first call asks for it). */
  const row = (index: number): InboxThread | null => {
    const page = Math.floor(index / PAGE_SIZE)
    const rows = loaded.get(page)
    if (rows) return rows[index % PAGE_SIZE] ?? null
    if (!pages.includes(page))
      // Asked during a render (the list's rows): the page joins the queries after it.
      queueMicrotask(() =>
        setWanted((w) =>
          w.list !== list || w.extra.includes(page) ? w : { ...w, extra: [...w.extra, page] },
        ),
      )
    return null
  }

  const setVisible = useCallback(
    (first: number, last: number) => {
      const [from, to] = [Math.floor(first / PAGE_SIZE), Math.floor(last / PAGE_SIZE)]
      setWanted((w) =>
        w.list !== list || (w.first === from && w.last === to)
          ? w
          : { ...w, first: from, last: to },
      )
    },
    [list],
  )

  return { total, row, setVisible }
}

/** One page of a view's rows: the query the list asks, and the one start-up asks ahead of it. */
export function threadPageQuery(view: InboxView, projectId: string | null, page: number) {
  return engineQuery('listThreads', {
    view,
    ...(projectId ? { projectId } : {}),
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
  })
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i)
}
