import { Text } from '@mantine/core'
import { Spotlight } from '@mantine/spotlight'
import { useState } from 'react'
import { useRoute } from '../state/route'
import { shortTime } from '../format'
import { SearchHitBody } from './snippet'
import { useSearch } from './use-search'

/**
 * Ctrl/Cmd+K: type and the cache answers as you go (offline too). Enter on a hit opens its
 * thread; the last entry takes the words to the search page with its filters.
 */
export function QuickSearch() {
  const { openThread, navigate } = useRoute()
  const [query, setQuery] = useState('')
  const { hits: found, error, searched } = useSearch(query, 12, 120)
  const hits = found ?? []

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
      <Spotlight.Search
        placeholder="Search messages, files and people… (from: project: has:attachment)"
        aria-label="Quick search"
      />
      <Spotlight.ActionsList aria-label="Search results">
        {hits.map((hit) => (
          <Spotlight.Action key={hit.messageId} onClick={() => openThread(hit.threadId)}>
            <div style={{ textAlign: 'left', width: '100%' }}>
              <SearchHitBody hit={hit} time={shortTime} compact />
            </div>
          </Spotlight.Action>
        ))}
        {query.trim() && (
          <Spotlight.Action onClick={() => navigate({ screen: 'search', query })}>
            <Text size="sm">Search everything for “{query}” with filters…</Text>
          </Spotlight.Action>
        )}
        {error && <Spotlight.Empty>{error}</Spotlight.Empty>}
        {!error && searched && !hits.length && (
          <Spotlight.Empty>No message matches “{searched}”.</Spotlight.Empty>
        )}
        {!query.trim() && (
          <Spotlight.Empty>
            Type words from a message, a subject, a name or a file name.
          </Spotlight.Empty>
        )}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  )
}
