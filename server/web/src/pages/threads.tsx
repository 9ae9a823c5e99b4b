import { Button, Group, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { usePortal } from '../session'
import { ThreadRow } from './thread-row'

export function Threads() {
  const portal = usePortal()
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Messages
        </Title>
        <Button component={Link} to="/new">
          New message
        </Button>
      </Group>
      {portal.threads.map((t) => (
        <ThreadRow key={t.id} thread={t} />
      ))}
      {!portal.threads.length && (
        <Text c="dimmed">No conversations yet. Start one with New message.</Text>
      )}
    </Stack>
  )
}
