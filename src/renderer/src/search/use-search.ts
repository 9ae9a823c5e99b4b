import { useDebouncedValue } from '@mantine/hooks'
import { useEffect, useState } from 'react'
import type { SearchHitLocal } from '../../../shared/ipc'
import { engine, errorMessage } from '../engine'

/**
 * Searches the local cache as the query changes, a moment after the last keystroke; an answer
 * that arrives after a newer query is dropped. `hits` is null for an empty query.
 */
export function useSearch(query: string, limit: number, debounceMs: number) {
  const [debounced] = useDebouncedValue(query.trim(), debounceMs)
  const [hits, setHits] = useState<SearchHitLocal[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    if (!debounced) {
      setHits(null)
      return
    }
    engine
      .search({ query: debounced, limit })
      .then((h) => {
        if (!live) return
        setHits(h)
        setError(null)
      })
      .catch((err: unknown) => live && setError(errorMessage(err)))
    return () => {
      live = false
    }
  }, [debounced, limit])
  return { hits, error, searched: debounced }
}
