import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { usePortal } from '../session'
import { ThreadRow } from './thread-row'

export function Dashboard() {
  const portal = usePortal()
  const newCount = portal.unread
  return (
    <Stack>
      <Title order={1} size="h2">
        Welcome, {portal.me?.user.name}
      </Title>
      <Card withBorder data-testid="messages-widget">
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={2} size="h4">
              Messages
            </Title>
            <Badge color={newCount ? 'blue' : 'gray'}>
              {newCount === 1 ? '1 new message' : `${newCount} new messages`}
            </Badge>
          </Group>
          {portal.threads.slice(0, 5).map((t) => (
            <ThreadRow key={t.id} thread={t} />
          ))}
          {!portal.threads.length && <Text c="dimmed">No conversations yet.</Text>}
          <Group>
            <Anchor component={Link} to="/threads">
              All conversations
            </Anchor>
            <Anchor component={Link} to="/new">
              New message
            </Anchor>
          </Group>
        </Stack>
      </Card>
    </Stack>
  )
}
