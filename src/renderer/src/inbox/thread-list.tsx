import { Badge, Box, Checkbox, Group, Skeleton, Text, Tooltip, UnstyledButton } from '@mantine/core'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useMemo, useRef } from 'react'
import type { InboxThread } from '../../../shared/ipc'
import { useOutbox } from '../state/activity'
import { useConnection } from '../state/connection'
import { usePeople } from '../state/directory'
import dayjs from 'dayjs'
import { fullTime, shortTime, statusLabel, waitingFor } from '../format'
import { outboxByThread, threadOutboxLook, type OutboxLook } from '../outbox-state'
import classes from './thread-list.module.css'

const ROW_HEIGHT = 84

/**
 * The inbox list, virtualized: however many threads the view holds, only the rows on screen (and
 * a few either side) are in the DOM. Rows have a fixed height so scrolling needs no measuring.
 */
export function ThreadList(props: {
  label: string
  total: number
  row: (index: number) => InboxThread | null
  onVisible: (first: number, last: number) => void
  cursor: number
  openId: string | null
  selected: ReadonlySet<string>
  onOpen: (thread: InboxThread, index: number) => void
  onToggle: (thread: InboxThread) => void
}) {
  const { peopleById } = usePeople()
  const outbox = useOutbox()
  const connection = useConnection()
  const outboxOf = useMemo(() => outboxByThread(outbox), [outbox])
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: props.total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? 0
  const { onVisible } = props
  useEffect(() => onVisible(first, last), [onVisible, first, last])

  // j/k move the cursor; keep it on screen.
  useEffect(() => {
    if (props.cursor >= 0 && props.cursor < props.total)
      virtualizer.scrollToIndex(props.cursor, { align: 'auto' })
  }, [props.cursor, props.total, virtualizer])

  return (
    <div
      ref={scroller}
      className={classes.scroller}
      data-testid="thread-list-scroller"
      data-conversation-list
    >
      <div
        role="list"
        aria-label={props.label}
        style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
      >
        {items.map((item) => {
          const thread = props.row(item.index)
          return (
            <div
              key={thread?.id ?? `loading-${item.index}`}
              role="listitem"
              aria-setsize={props.total}
              aria-posinset={item.index + 1}
              className={classes.row}
              data-cursor={item.index === props.cursor || undefined}
              data-open={(thread && thread.id === props.openId) || undefined}
              style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              {thread ? (
                <ThreadRow
                  thread={thread}
                  assigneeName={
                    (thread.assigneeId && peopleById.get(thread.assigneeId)?.name) || null
                  }
                  outbox={threadOutboxLook(outboxOf.get(thread.id), connection.state)}
                  index={item.index}
                  selected={props.selected.has(thread.id)}
                  open={thread.id === props.openId}
                  onOpen={props.onOpen}
                  onToggle={props.onToggle}
                />
              ) : (
                <Box p="sm">
                  <Skeleton height={12} width="60%" mb={8} />
                  <Skeleton height={10} width="90%" />
                </Box>
              )}
            </div>
          )
        })}
      </div>
    </div>
  )
}

/** Memoized: opening a thread or a new count re-renders only the rows whose props changed. */
const ThreadRow = memo(function ThreadRow({
  thread,
  assigneeName,
  outbox,
  index,
  selected,
  open,
  onOpen,
  onToggle,
}: {
  thread: InboxThread
  assigneeName: string | null
  /** The most pressing state of what this thread has in the outbox, or null. */
  outbox: OutboxLook | null
  index: number
  selected: boolean
  open: boolean
  onOpen: (thread: InboxThread, index: number) => void
  onToggle: (thread: InboxThread) => void
}) {
  const unread = thread.unreadCount > 0
  // Snoozed threads stay in "Assigned to me" (and in a project's list when asked), marked so.
  const snoozed =
    thread.snoozedUntil && dayjs(thread.snoozedUntil).isAfter(dayjs()) ? thread.snoozedUntil : null
  const customers = thread.customerNames.join(', ')
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" h="100%" px="xs" py={6}>
      <Checkbox
        mt={4}
        size="xs"
        checked={selected}
        onChange={() => onToggle(thread)}
        aria-label={`Select “${thread.subject}”`}
      />
      <UnstyledButton
        className={classes.open}
        onClick={() => onOpen(thread, index)}
        aria-current={open || undefined}
        data-unread={unread || undefined}
        data-thread-id={thread.id}
      >
        <Group gap={6} wrap="nowrap">
          <span className={classes.dot} data-unread={unread || undefined} aria-hidden />
          <Text size="sm" fw={unread ? 700 : 500} truncate style={{ flex: 1 }}>
            {unread && <span className={classes.visuallyHidden}>Unread: </span>}
            {thread.subject}
          </Text>
          {unread && (
            <Badge
              size="xs"
              circle={thread.unreadCount < 10}
              aria-label={`${thread.unreadCount} unread`}
            >
              {thread.unreadCount}
            </Badge>
          )}
          {thread.urgent && (
            <Badge size="xs" color="red" variant="filled">
              Urgent
            </Badge>
          )}
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {shortTime(thread.lastMessageAt)}
          </Text>
        </Group>
        <Group gap={6} wrap="nowrap" mt={2}>
          <Text size="xs" c="dimmed" truncate style={{ flex: 1, minWidth: '30%' }}>
            {customers ? `${customers} · ` : ''}
            {thread.projectName}
          </Text>
          {/* One of the two, whichever is true: a thread the team set waiting on the customer
          is not waiting on the team, whatever a customer wrote before. */}
          {thread.status === 'open' && thread.waitingSince ? (
            <Tooltip label={`A customer has waited since ${shortTime(thread.waitingSince)}`}>
              <Badge size="xs" color="orange" variant="light" className={classes.badge}>
                Waiting {waitingFor(thread.waitingSince)}
              </Badge>
            </Tooltip>
          ) : thread.status !== 'open' ? (
            <Badge size="xs" color="gray" variant="outline" className={classes.badge}>
              {statusLabel[thread.status]}
            </Badge>
          ) : null}
          {/* Only an assignee is worth a word; "Unassigned" on every row was noise. */}
          {assigneeName && (
            <Text size="xs" c="dimmed" className={classes.badge} data-testid="row-assignee">
              {assigneeName}
            </Text>
          )}
        </Group>
        <Group gap={6} wrap="nowrap" mt={2}>
          {/* Beside the preview: whether the thread sleeps, and what the outbox says of the
          message the preview shows. */}
          {snoozed && (
            <Tooltip label={`Back in the inbox ${fullTime(snoozed)}`}>
              <Badge size="xs" color="indigo" variant="light" className={classes.badge}>
                Snoozed until {shortTime(snoozed)}
              </Badge>
            </Tooltip>
          )}
          {outbox && (
            <Tooltip label={outbox.detail} multiline maw={320}>
              <Badge
                size="xs"
                color={outbox.color}
                variant="light"
                className={classes.badge}
                data-testid="row-outbox-state"
              >
                {outbox.label}
                <span className={classes.visuallyHidden}>: {outbox.detail}</span>
              </Badge>
            </Tooltip>
          )}
          <Text size="xs" c="dimmed" truncate style={{ flex: 1 }}>
            {thread.lastMessagePreview}
          </Text>
        </Group>
      </UnstyledButton>
    </Group>
  )
})
