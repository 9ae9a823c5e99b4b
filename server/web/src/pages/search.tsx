import { Button, Card, Group, Mark, Stack, Text, TextInput, Title } from '@mantine/core'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { errorText } from '../error-text'
import { ErrorAlert } from '../use-submission'
import { when } from '../parts'
import { queries } from '../queries'

export function Search() {
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const [input, setInput] = useState(q)
  // The last answer stays on screen while the next is on its way.
  const search = useQuery({ ...queries.search(q), placeholderData: keepPreviousData })
  const hits = q.trim() ? (search.data?.hits ?? null) : null
  const error = search.error ? errorText(search.error) : null
  return (
    <Stack>
      <Title order={1} size="h2">
        Search messages
      </Title>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          setParams({ q: input })
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Search"
            description='Words, "exact phrases", from:name, before:2026-01-31, after:…, has:attachment'
            style={{ flex: 1 }}
            value={input}
            onChange={(e) => setInput(e.currentTarget.value)}
          />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      <ErrorAlert error={error} />
      {hits && !hits.length && <Text c="dimmed">Nothing found for “{q}”.</Text>}
      {hits?.map((h) => (
        <Card
          key={h.messageId}
          component={Link}
          to={`/threads/${h.threadId}`}
          withBorder
          padding="sm"
        >
          <Group justify="space-between">
            <Text fw={600}>{h.subject}</Text>
            <Text size="xs" c="dimmed">
              {h.authorName}, {when(h.createdAt)}
            </Text>
          </Group>
          <Text size="sm">
            {h.snippet.map((part, i) =>
              part.hit ? <Mark key={i}>{part.text}</Mark> : <span key={i}>{part.text}</span>,
            )}
          </Text>
        </Card>
      ))}
    </Stack>
  )
}
