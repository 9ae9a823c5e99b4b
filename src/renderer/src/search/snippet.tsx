import { Group, Text } from '@mantine/core'
import type { SearchHitLocal } from '../../../shared/ipc'

/** The engine marks which parts of the snippet matched; they are shown as <mark>, the rest as text. */
export function Snippet({ parts }: { parts: SearchHitLocal['snippet'] }) {
  return (
    <>
      {parts.map((part, i) =>
        part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </>
  )
}

/** A hit as both search screens show it: subject and time, author and project, the snippet. */
export function SearchHitBody({
  hit,
  time,
  compact = false,
}: {
  hit: SearchHitLocal
  time: (iso: string) => string
  compact?: boolean
}) {
  return (
    <>
      <Group justify="space-between" wrap="nowrap">
        <Text size={compact ? 'sm' : undefined} fw={600} truncate>
          {hit.subject}
        </Text>
        <Text size="xs" c="dimmed">
          {time(hit.createdAt)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {hit.authorName} · {hit.projectName}
      </Text>
      <Text size="sm" mt={compact ? 0 : 4} lineClamp={compact ? 2 : undefined}>
        <Snippet parts={hit.snippet} />
      </Text>
    </>
  )
}
