import { Anchor, Badge, Group, Paper, Text } from '@mantine/core'
import { memo } from 'react'
import type { LocalMessage } from '../../../shared/ipc'
import { formerMemberName } from '../../../shared/labels'
import type { Person } from '../../../shared/protocol'
import { MessageText } from '../../../ui/message-text'
import { fullTime, shortTime } from '../format'
import type { OutboxLook } from '../outbox-state'
import { Attachments } from './attachments'

export interface Reader {
  name: string
  readAt: string
}

/**
 * One message: who wrote it and in what role, when, the text (never HTML), its files, and who has
 * seen it. Internal notes sit on a yellow ground with a label; a message still in the outbox says
 * so, with the outbox's reason when it failed or is held.
 */
export const MessageItem = memo(function MessageItem({
  message,
  author,
  role,
  mine,
  readers,
  outbox,
  onOpenOutbox,
}: {
  message: LocalMessage
  author: Person | undefined
  /** The author's role in this thread ("Guest" for a customer who is no project contact). */
  role: string | undefined
  mine: boolean
  readers: Reader[]
  /** What the outbox says of this message while it waits there. */
  outbox: OutboxLook | undefined
  onOpenOutbox: () => void
}) {
  const name = author?.name ?? formerMemberName
  const customer = author?.role === 'customer'
  return (
    <Paper
      component="article"
      aria-label={`${message.internal ? 'Internal note' : 'Message'} from ${name}, ${fullTime(message.createdAt)}`}
      data-message-id={message.id}
      data-pending={message.pending || undefined}
      p="sm"
      withBorder
      ml={mine ? 48 : 0}
      mr={mine ? 0 : 48}
      bg={
        message.internal
          ? 'var(--mantine-color-yellow-light)'
          : customer
            ? 'var(--mantine-color-body)'
            : 'var(--mantine-color-default-hover)'
      }
      style={
        message.internal
          ? { borderStyle: 'dashed', borderColor: 'var(--mantine-color-yellow-outline)' }
          : undefined
      }
    >
      <Group gap={6} justify="space-between" wrap="nowrap">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <Text size="sm" fw={700} truncate>
            {name}
          </Text>
          <Badge size="xs" variant="light" color={customer ? 'teal' : 'gray'}>
            {role ?? 'Former member'}
          </Badge>
          {message.internal && (
            <Badge size="xs" color="yellow" variant="filled" c="dark">
              Internal note
            </Badge>
          )}
          {message.urgent && (
            <Badge size="xs" color="red" variant="filled">
              Urgent
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed" component="time" dateTime={message.createdAt}>
          {fullTime(message.createdAt)}
        </Text>
      </Group>
      <MessageText body={message.body} />
      <Attachments items={message.attachments} pending={message.pending} />
      {message.pending && <PendingNote look={outbox} onOpenOutbox={onOpenOutbox} />}
      {readers.length > 0 && (
        <Text size="xs" c="dimmed" ta="right" mt={4} data-testid="read-receipt">
          Seen by {readers.map((r) => `${r.name}, ${shortTime(r.readAt)}`).join('; ')}
        </Text>
      )}
    </Paper>
  )
})

function PendingNote({
  look,
  onOpenOutbox,
}: {
  look: OutboxLook | undefined
  onOpenOutbox: () => void
}) {
  const trouble = (look?.weight ?? 0) >= 4
  return (
    <Text size="xs" mt={4} c={trouble ? 'red' : 'dimmed'} data-testid="pending-note" role="status">
      {/* Until the outbox list has loaded, the message is only known to wait in it. */}
      {look?.detail ?? 'In the outbox.'}{' '}
      <Anchor component="button" size="xs" onClick={onOpenOutbox}>
        Open outbox
      </Anchor>
    </Text>
  )
}
