import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { engineQuery } from '../data/queries'
import { errorMessage } from '../engine'

/**
 * Searches the local cache as the query changes, a moment after the last keystroke; the answer
 * for an older query never replaces a newer one (each query has its own key). `hits` is null for
 * an empty query.
 */
export function useSearch(query: string, limit: number, debounceMs: number) {
  const [debounced] = useDebouncedValue(query.trim(), debounceMs)
  const search = useQuery({
    ...engineQuery('search', { query: debounced, limit }),
    enabled: debounced !== '',
    // The last hits stay while the next query is searched, as they did before the cache.
    placeholderData: keepPreviousData,
  })
  return {
    hits: debounced ? (search.data ?? null) : null,
    error: search.error ? errorMessage(search.error) : null,
    searched: debounced,
  }
}
