import { Group, Text } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { Spotlight } from '@mantine/spotlight'
import { useEffect, useState } from 'react'
import type { SearchHitLocal } from '../../../shared/ipc'
import { useApp } from '../app-state'
import { engine, errorMessage } from '../engine'
import { shortTime } from '../format'
import { Snippet } from './snippet'

/**
 * Ctrl/Cmd+K: type and the cache answers as you go (offline too). Enter on a hit opens its
 * thread; the last entry takes the words to the search page with its filters.
 */
export function QuickSearch() {
  const { openThread, navigate } = useApp()
  const [query, setQuery] = useState('')
  const [debounced] = useDebouncedValue(query, 120)
  const [hits, setHits] = useState<SearchHitLocal[]>([])
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    if (!debounced.trim()) {
      setHits([])
      return
    }
    engine
      .search({ query: debounced, limit: 12 })
      .then((h) => {
        if (!live) return
        setHits(h)
        setError(null)
      })
      .catch((err: unknown) => live && setError(errorMessage(err)))
    return () => {
      live = false
    }
  }, [debounced])

  return (
    <Spotlight.Root
      query={query}
      onQueryChange={setQuery}
      shortcut={['mod + K']}
      scrollable
      maxHeight={480}
      // The dialog has no visible title; its name comes from here.
      attributes={{ content: { 'aria-label': 'Quick search' } }}
    >
      <Spotlight.Search placeholder="Search messages, files and people… (from: project: has:attachment)" aria-label="Quick search" />
      <Spotlight.ActionsList aria-label="Search results">
        {hits.map((hit) => (
          <Spotlight.Action key={hit.messageId} onClick={() => openThread(hit.threadId)}>
            <div style={{ textAlign: 'left', width: '100%' }}>
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm" fw={600} truncate>
                  {hit.subject}
                </Text>
                <Text size="xs" c="dimmed">
                  {shortTime(hit.createdAt)}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                {hit.authorName} · {hit.projectName}
              </Text>
              <Text size="sm" lineClamp={2}>
                <Snippet parts={hit.snippet} />
              </Text>
            </div>
          </Spotlight.Action>
        ))}
        {query.trim() && (
          <Spotlight.Action onClick={() => navigate({ screen: 'search', query })}>
            <Text size="sm">
              Search everything for “{query}” with filters…
            </Text>
          </Spotlight.Action>
        )}
        {error && <Spotlight.Empty>{error}</Spotlight.Empty>}
        {!error && debounced.trim() && !hits.length && <Spotlight.Empty>No message matches “{debounced}”.</Spotlight.Empty>}
        {!query.trim() && <Spotlight.Empty>Type words from a message, a subject, a name or a file name.</Spotlight.Empty>}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  )
}
