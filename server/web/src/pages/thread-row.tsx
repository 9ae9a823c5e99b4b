import { Badge, Card, Group, Stack, Text } from '@mantine/core'
import { Link } from 'react-router'
import type { ThreadSummary } from '../../../../src/shared/protocol'
import { shortWhen, when } from '../parts'
import { usePortal } from '../session'

/** One conversation in a list: unread count, subject, the last message's sender and preview. */
export function ThreadRow({ thread }: { thread: ThreadSummary }) {
  const portal = usePortal()
  const project = portal.projects.find((p) => p.id === thread.projectId)
  const sender = portal.people.get(thread.lastMessageSenderId)
  const unread = thread.unreadCount > 0
  return (
    <Card
      component={Link}
      to={`/threads/${thread.id}`}
      withBorder
      padding="sm"
      aria-label={`${thread.subject}${unread ? `, ${thread.unreadCount} unread` : ''}`}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap">
            {unread && (
              <Badge size="sm" circle aria-hidden>
                {thread.unreadCount}
              </Badge>
            )}
            <Text fw={unread ? 700 : 500} truncate>
              {thread.subject}
            </Text>
          </Group>
          <Text size="sm" c="dimmed" truncate>
            {sender ? `${sender.name}: ` : ''}
            {thread.lastMessagePreview}
          </Text>
          {project && (
            <Text size="xs" c="dimmed">
              {project.name}
            </Text>
          )}
        </Stack>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          <time dateTime={thread.lastMessageAt} title={when(thread.lastMessageAt)}>
            {shortWhen(thread.lastMessageAt)}
          </time>
        </Text>
      </Group>
    </Card>
  )
}
