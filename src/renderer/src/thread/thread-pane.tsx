import { Alert, Badge, Box, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type Ref,
} from 'react'
import type { LocalMessage, ThreadDetail } from '../../../shared/ipc'
import { ReplyBox, type ReplyBoxHandle } from '../composer/reply-box'
import { engineKey, engineQuery } from '../data/queries'
import { engine, errorMessage } from '../engine'
import { roleIn } from '../format'
import { TriageControls, type TriageMenu } from '../inbox/triage'
import { outboxLook } from '../outbox-state'
import { useOutbox } from '../state/activity'
import { useConnection, useMe } from '../state/connection'
import { usePeople, useProjects } from '../state/directory'
import { useRoute } from '../state/route'
import { ExportPdfButton } from './export-pdf'
import { MessageItem, type Reader } from './message-item'
import { useOpenedOnce } from '../lazy-dialog'

// Dropping files onto the thread needs @mantine/dropzone and its file readers (~64 KB), which
// load with the first open thread, not with the inbox list that paints first.
// Who is in the conversation and the invitation form (a people picker, zod, @mantine/form) load
// when the drawer first opens.
const ParticipantsDrawer = lazy(() =>
  import('./participants').then((m) => ({ default: m.ParticipantsDrawer })),
)
const DropzoneFullScreen = lazy(() =>
  import('@mantine/dropzone').then((m) => ({ default: m.DropzoneFullScreen })),
)

export interface ThreadPaneHandle {
  focusComposer(): void
}

// The newest messages paint first; older ones load as the reader scrolls up. Forty fill any
// window and keep opening a long thread well under 100 ms (npm run bench, ui.open_thread_ms).
const FIRST_PAGE = 40

/**
 * An open thread: its newest messages first painted at the bottom, older ones on demand, each
 * marked read as it scrolls into view while the window has focus. Files dropped anywhere over
 * the window go to the reply box.
 */
export function ThreadPane({
  threadId,
  menu,
  onMenu,
  dropActive,
  ref,
}: {
  threadId: string
  menu: TriageMenu
  onMenu: (menu: TriageMenu) => void
  dropActive: boolean
  ref?: Ref<ThreadPaneHandle>
}) {
  const { openThread: follow, navigate } = useRoute()
  const connection = useConnection()
  const { me: signedIn } = useMe()
  const { peopleById } = usePeople()
  const { projectsById } = useProjects()
  const outbox = useOutbox()
  const client = useQueryClient()
  // How many of the newest messages are loaded: the first page, and each earlier one read since.
  const [loaded, setLoaded] = useState(FIRST_PAGE)
  const opened = useQuery(engineQuery('openThread', { threadId, limit: Math.min(2000, loaded) }))
  // The server gave a thread written offline its own id: follow it.
  const movedTo = opened.data && opened.data.thread.id !== threadId ? opened.data.thread.id : null
  useEffect(() => {
    if (movedTo) follow(movedTo)
  }, [movedTo, follow])
  const detail: ThreadDetail | null = (!movedTo && opened.data) || null
  // A thread opened again is read from the engine again, as on first opening; what it showed
  // when it was closed is not kept.
  useEffect(
    () => () => client.removeQueries({ queryKey: engineKey('openThread', { threadId }) }),
    [client, threadId],
  )
  const error = opened.error ? errorMessage(opened.error) : null
  const [participantsOpen, setParticipantsOpen] = useState(false)
  const participantsShown = useOpenedOnce(participantsOpen)
  const [loadingEarlier, setLoadingEarlier] = useState(false)
  const scroller = useRef<HTMLDivElement>(null)
  const composer = useRef<ReplyBoxHandle>(null)
  const stickToBottom = useRef(true)
  const keepOffsetFromBottom = useRef<number | null>(null)

  useImperativeHandle(ref, () => ({ focusComposer: () => composer.current?.focus() }))

  // The engine stays quiet about messages in the thread on screen while the window has focus.
  useEffect(() => {
    const report = () => void engine.setFocus({ threadId, windowFocused: document.hasFocus() })
    report()
    window.addEventListener('focus', report)
    window.addEventListener('blur', report)
    return () => {
      window.removeEventListener('focus', report)
      window.removeEventListener('blur', report)
      void engine.setFocus({ threadId: null, windowFocused: document.hasFocus() })
    }
  }, [threadId])

  const loadEarlier = async () => {
    if (!detail?.nextBefore) return
    setLoadingEarlier(true)
    const el = scroller.current
    keepOffsetFromBottom.current = el ? el.scrollHeight - el.scrollTop : null
    try {
      const older = await engine.openThread({ threadId, before: detail.nextBefore, limit: 100 })
      // The longer window is what the thread reloads as from now on; it starts out as what is on
      // screen with the earlier messages before it.
      const next = loaded + older.messages.length
      client.setQueryData(
        engineQuery('openThread', { threadId, limit: Math.min(2000, next) }).queryKey,
        {
          ...detail,
          messages: [...older.messages, ...detail.messages],
          reads: [...older.reads, ...detail.reads],
          nextBefore: older.nextBefore,
        },
      )
      setLoaded(next)
    } catch {
      // Nothing changed on screen: the button and the scroll ask again.
    } finally {
      setLoadingEarlier(false)
    }
  }

  // Open at the newest message; stay there as messages arrive unless the reader scrolled up;
  // after loading earlier ones keep the same message under the reader's eyes.
  useLayoutEffect(() => {
    const el = scroller.current
    if (!el || !detail) return
    if (keepOffsetFromBottom.current !== null) {
      el.scrollTop = el.scrollHeight - keepOffsetFromBottom.current
      keepOffsetFromBottom.current = null
    } else if (stickToBottom.current) el.scrollTop = el.scrollHeight
  }, [detail])

  const me = signedIn?.id
  const messages = detail?.messages ?? []

  // Messages from others that I have not read: marked as they come into view.
  const unreadIds = useMemo(() => {
    if (!detail || !me) return new Set<string>()
    const mine = new Set(detail.reads.filter((r) => r.userId === me).map((r) => r.messageId))
    return new Set(
      detail.messages
        .filter((m) => m.authorId !== me && !m.pending && !mine.has(m.id))
        .map((m) => m.id),
    )
  }, [detail, me])
  useMarkReadOnView(scroller, unreadIds)

  // "Seen by": under the newest message each other person has read.
  const readersByMessage = useMemo(() => {
    const result = new Map<string, Reader[]>()
    if (!detail) return result
    const order = new Map(detail.messages.map((m, i) => [m.id, i]))
    const newest = new Map<string, { index: number; readAt: string }>()
    for (const r of detail.reads) {
      if (r.userId === me) continue
      const index = order.get(r.messageId)
      if (index === undefined) continue
      const known = newest.get(r.userId)
      if (!known || index > known.index) newest.set(r.userId, { index, readAt: r.readAt })
    }
    for (const [userId, { index, readAt }] of newest) {
      const message = detail.messages[index]
      if (!message || message.authorId === userId) continue
      const list = result.get(message.id) ?? []
      list.push({ name: peopleById.get(userId)?.name ?? 'Someone', readAt })
      result.set(message.id, list)
    }
    return result
  }, [detail, me, peopleById])

  const connectionState = connection.state
  const outboxById = useMemo(
    () => new Map(outbox.map((e) => [e.id, outboxLook(e, connectionState)])),
    [outbox, connectionState],
  )
  const openOutbox = useCallback(() => navigate({ screen: 'outbox' }), [navigate])

  if (error && !detail)
    return (
      <Center style={{ flex: 1 }} p="lg">
        <Alert color="red" title="This conversation could not be opened">
          {error}
        </Alert>
      </Center>
    )
  if (!detail)
    return (
      <Center style={{ flex: 1 }}>
        <Loader role="status" aria-label="Opening the conversation" />
      </Center>
    )

  const { thread } = detail
  const project = projectsById.get(thread.projectId)
  const participants = thread.participantIds
    .map((id) => peopleById.get(id)?.name)
    .filter((name): name is string => Boolean(name))

  return (
    <Stack
      gap={0}
      style={{ flex: 1, minHeight: 0 }}
      component="section"
      aria-label={`Conversation: ${thread.subject}`}
    >
      <Box
        px="md"
        py="sm"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      >
        {/* The subject and the people wrap; the badge and the button keep their whole words
        (flex: none), so nothing here is ever cut off mid-word at 1280 px. */}
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
            <Title
              order={2}
              size="h4"
              data-testid="thread-subject"
              style={{ overflowWrap: 'break-word' }}
            >
              {thread.subject}
            </Title>
            <Text size="sm" c="dimmed" data-testid="thread-people">
              {thread.projectName}
              {project ? ` · ${project.stage}` : ''} · {peopleLine(participants)}
            </Text>
          </Stack>
          <Group gap={6} wrap="nowrap" style={{ flex: 'none' }}>
            {thread.urgent && (
              <Badge color="red" data-testid="thread-urgent">
                Urgent
              </Badge>
            )}
            <Button size="xs" variant="default" onClick={() => setParticipantsOpen(true)}>
              Participants ({thread.participantIds.length})
            </Button>
            <ExportPdfButton threadId={thread.id} subject={thread.subject} />
          </Group>
        </Group>
        <Box mt={8}>
          <TriageControls
            threadIds={[thread.id]}
            status={thread.status}
            assigneeId={thread.assigneeId}
            snoozedUntil={
              thread.snoozedUntil && thread.snoozedUntil > new Date().toISOString()
                ? thread.snoozedUntil
                : null
            }
            menu={menu}
            onMenu={onMenu}
          />
        </Box>
      </Box>

      <div
        ref={scroller}
        style={{ flex: 1, minHeight: 0, overflowY: 'auto', padding: 'var(--mantine-spacing-md)' }}
        onScroll={(e) => {
          const el = e.currentTarget
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40
          if (el.scrollTop < 200 && detail.nextBefore !== null && !loadingEarlier)
            void loadEarlier()
        }}
        data-testid="thread-messages"
      >
        <Stack gap="sm" maw={900} mx="auto">
          {detail.nextBefore !== null && (
            <Center>
              <Button
                variant="subtle"
                size="xs"
                loading={loadingEarlier}
                onClick={() => void loadEarlier()}
              >
                Load earlier messages
              </Button>
            </Center>
          )}
          {messages.map((m: LocalMessage) => {
            const author = peopleById.get(m.authorId)
            return (
              <MessageItem
                key={m.id}
                message={m}
                author={author}
                role={author ? roleIn(author, project) : undefined}
                mine={m.authorId === me}
                readers={readersByMessage.get(m.id) ?? noReaders}
                outbox={m.outboxId !== null ? outboxById.get(m.outboxId) : undefined}
                onOpenOutbox={openOutbox}
              />
            )
          })}
        </Stack>
      </div>

      <ReplyBox ref={composer} threadId={thread.id} urgent={thread.urgent} />

      <Suspense fallback={null}>
        <DropzoneFullScreen
          active={dropActive}
          onDrop={(files) => composer.current?.addFiles(files)}
          aria-label="Drop files to attach them to your reply"
          inputProps={{ 'aria-label': 'Files to attach to your reply' }}
        >
          <Center h="60vh">
            <Stack align="center" gap={4}>
              <Text size="xl" fw={700}>
                Drop files to attach them
              </Text>
              <Text c="dimmed">
                They are checked against the portal’s limits before anything is sent.
              </Text>
            </Stack>
          </Center>
        </DropzoneFullScreen>
      </Suspense>
      {participantsShown && (
        <Suspense fallback={null}>
          <ParticipantsDrawer
            thread={thread}
            opened={participantsOpen}
            onClose={() => setParticipantsOpen(false)}
          />
        </Suspense>
      )}
    </Stack>
  )
}

const noReaders: Reader[] = []

/** "Carla Mendes, Chris Mendes, Sam Rivera and 2 more": whole names, the rest in the panel. */
function peopleLine(names: string[], shown = 3): string {
  if (names.length <= shown + 1) return names.join(', ')
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`
}

/** Observes the unread messages on screen and marks them read in batches, while the window has focus. */
function useMarkReadOnView(
  scroller: React.RefObject<HTMLDivElement | null>,
  unreadIds: Set<string>,
) {
  const queued = useRef(new Set<string>())
  const sent = useRef(new Set<string>())
  useEffect(() => {
    const root = scroller.current
    if (!root || !unreadIds.size) return
    let timer: ReturnType<typeof setTimeout> | null = null
    const flush = () => {
      timer = null
      const ids = [...queued.current].filter((id) => !sent.current.has(id))
      queued.current.clear()
      if (!ids.length) return
      for (const id of ids) sent.current.add(id)
      void engine.markRead({ messageIds: ids.slice(0, 1000) }).catch(() => {
        for (const id of ids) sent.current.delete(id)
      })
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (document.visibilityState !== 'visible') return
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset.messageId
          if (entry.isIntersecting && id && unreadIds.has(id)) queued.current.add(id)
        }
        if (queued.current.size && !timer) timer = setTimeout(flush, 300)
      },
      { root, threshold: 0.5 },
    )
    for (const el of root.querySelectorAll<HTMLElement>('[data-message-id]'))
      if (unreadIds.has(el.dataset.messageId ?? '')) observer.observe(el)
    return () => {
      observer.disconnect()
      if (timer) {
        clearTimeout(timer)
        flush()
      }
    }
  }, [scroller, unreadIds])
}
