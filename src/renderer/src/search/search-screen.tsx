import {
  Alert,
  Checkbox,
  Code,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core'
import { DatePickerInput } from '@mantine/dates'
import dayjs from 'dayjs'
import { useMemo, useState } from 'react'
import { usePeople, useProjects } from '../state/directory'
import { useRoute } from '../state/route'
import { fullTime } from '../format'
import { SearchHitBody } from './snippet'
import { useSearch } from './use-search'

/** An operator's value, quoted so names with spaces stay one value. */
const quoted = (value: string) => `"${value.replace(/"/g, '')}"`

/**
 * The search page: words and operators typed as they are (from:, project:, before:, after:,
 * has:attachment, is:unread, is:urgent), or picked with the filters, which only add operators to
 * the same query. It runs in the local cache, so it works offline.
 */
export function SearchScreen({ initialQuery }: { initialQuery: string }) {
  const { people } = usePeople()
  const { projects } = useProjects()
  const { openThread } = useRoute()
  const [text, setText] = useState(initialQuery)
  const [sender, setSender] = useState<string | null>(null)
  const [project, setProject] = useState<string | null>(null)
  const [range, setRange] = useState<[string | null, string | null]>([null, null])
  const [withFiles, setWithFiles] = useState(false)

  const query = useMemo(() => {
    const parts = [text.trim()]
    if (sender) parts.push(`from:${quoted(sender)}`)
    if (project) parts.push(`project:${quoted(project)}`)
    if (range[0]) parts.push(`after:${dayjs(range[0]).format('YYYY-MM-DD')}`)
    // before: is exclusive; the picked end day is included.
    if (range[1]) parts.push(`before:${dayjs(range[1]).add(1, 'day').format('YYYY-MM-DD')}`)
    if (withFiles) parts.push('has:attachment')
    return parts.filter(Boolean).join(' ')
  }, [text, sender, project, range, withFiles])
  const { hits, error } = useSearch(query, 100, 150)

  return (
    <Stack p="lg" gap="md" style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
      <Title order={1} size="h3">
        Search
      </Title>
      <TextInput
        label="Search messages"
        description="Words, “quoted phrases”, prefix*, and from: project: before:YYYY-MM-DD after:YYYY-MM-DD has:attachment is:unread is:urgent"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        data-autofocus
        autoFocus
      />
      <Group align="flex-end" gap="md">
        {(
          [
            ['Sender', 'Anyone', people, sender, setSender],
            ['Project', 'Any project', projects, project, setProject],
          ] as const
        ).map(([label, placeholder, named, value, onChange]) => (
          // Searched by name (from:"Carla Mendes", project:"Maple Street"), so the name is the value.
          <Select
            key={label}
            label={label}
            placeholder={placeholder}
            data={named.map((p) => p.name)}
            value={value}
            onChange={onChange}
            searchable
            clearable
            w={220}
          />
        ))}
        <DatePickerInput
          type="range"
          label="Date range"
          placeholder="Any time"
          value={range}
          onChange={(v) => setRange(v as [string | null, string | null])}
          clearable
          allowSingleDateInRange
          w={260}
        />
        <Checkbox
          label="With attachments"
          checked={withFiles}
          onChange={(e) => setWithFiles(e.currentTarget.checked)}
          mb={8}
        />
      </Group>
      {query && (
        <Text size="xs" c="dimmed">
          Query: <Code>{query}</Code>
        </Text>
      )}
      {error && <Alert color="red">{error}</Alert>}
      {hits && (
        <Text size="sm" role="status">
          {hits.length === 0
            ? 'No message matches.'
            : `${hits.length === 100 ? '100+' : hits.length} ${hits.length === 1 ? 'message' : 'messages'}`}
        </Text>
      )}
      <Stack gap="xs" role="list" aria-label="Search results">
        {hits?.map((hit) => (
          <Paper key={hit.messageId} withBorder role="listitem">
            <UnstyledButton p="sm" w="100%" onClick={() => openThread(hit.threadId)}>
              <SearchHitBody hit={hit} time={fullTime} />
            </UnstyledButton>
          </Paper>
        ))}
      </Stack>
    </Stack>
  )
}
