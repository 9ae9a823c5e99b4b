import { Box, Button, Center, Group, Stack, Text, Title } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { InboxThread } from '../../../shared/ipc'
import { viewLabel } from '../format'
import { useProjects } from '../state/directory'
import { useRoute, type Route } from '../state/route'
import { ThreadPane, type ThreadPaneHandle } from '../thread/thread-pane'
import { ThreadList } from './thread-list'
import { markUnread, triage, TriageControls, type TriageMenu } from './triage'
import { useThreadPages } from './use-thread-pages'

type InboxRoute = Extract<Route, { screen: 'inbox' }>

/**
 * The inbox: the view's threads on the left, the open thread on the right. j/k move, Enter opens,
 * x selects; a, e, s, u act on the selected threads, or on the open one when none is selected.
 */
export function InboxScreen({
  route,
  onCompose,
  composing,
}: {
  route: InboxRoute
  onCompose: () => void
  /** The new-conversation form is open: dropped files are its, not the reply box's. */
  composing: boolean
}) {
  const { openThread } = useRoute()
  const { projectsById } = useProjects()
  const { total, row, setVisible } = useThreadPages(route.view, route.projectId)
  const [cursor, setCursor] = useState(0)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [menu, setMenu] = useState<TriageMenu>(null)
  const pane = useRef<ThreadPaneHandle>(null)

  // A new view starts at the top with nothing selected.
  useEffect(() => {
    setCursor(0)
    setSelected(new Set())
  }, [route.view, route.projectId])

  const open = useCallback(
    (thread: InboxThread, index: number) => {
      setCursor(index)
      openThread(thread.id)
    },
    [openThread],
  )
  const toggle = useCallback((thread: InboxThread) => {
    setSelected((current) => {
      const next = new Set(current)
      if (next.has(thread.id)) next.delete(thread.id)
      else next.add(thread.id)
      return next
    })
  }, [])

  const count = total ?? 0
  const targets = (): string[] => {
    if (selected.size) return [...selected]
    if (route.threadId) return [route.threadId]
    const current = row(cursor)
    return current ? [current.id] : []
  }
  // What had focus when j/k last moved the cursor: Enter then opens the row under the cursor even
  // though a button kept focus (the view just clicked); a control reached since, by Tab, gets
  // its own Enter.
  const movedFrom = useRef<Element | null>(null)
  const move = (delta: number) => {
    movedFrom.current = document.activeElement
    if (!count) return
    setCursor((c) => Math.max(0, Math.min(count - 1, c + delta)))
  }

  useHotkeys([
    ['j', () => move(1)],
    ['k', () => move(-1)],
    ['ArrowDown', () => move(1)],
    ['ArrowUp', () => move(-1)],
    [
      'Enter',
      (event) => {
        // Enter on a button or link reached outside the list (the thread's header, a dialog) is
        // that control's: it presses it, as everywhere else, instead of opening the row under
        // the cursor (which left "Participants" or "Export PDF…" deaf to Enter).
        const target = event.target instanceof Element ? event.target : null
        const control = target?.closest('button, a[href], [role="button"], [role="menuitem"]')
        if (
          control &&
          !control.closest('[data-conversation-list]') &&
          movedFrom.current !== document.activeElement
        )
          return
        event.preventDefault()
        const thread = row(cursor)
        if (thread) open(thread, cursor)
      },
      { preventDefault: false },
    ],
    [
      'x',
      () => {
        const thread = row(cursor)
        if (thread) toggle(thread)
      },
    ],
    ['r', () => pane.current?.focusComposer()],
    ['a', () => targets().length && setMenu('assign')],
    ['s', () => targets().length && setMenu('snooze')],
    [
      'e',
      () => {
        const ids = targets()
        if (ids.length)
          void triage(
            ids,
            { status: 'closed' },
            ids.length === 1 ? 'Conversation closed' : `${ids.length} conversations closed`,
          )
      },
    ],
    [
      'u',
      () => {
        const ids = targets()
        if (ids.length) void markUnread(ids, route.threadId, () => openThread(null))
      },
    ],
    ['Escape', () => setSelected(new Set())],
  ])

  const projectName = route.projectId ? projectsById.get(route.projectId)?.name : null
  const title = projectName ?? viewLabel[route.view]
  const bulk = selected.size > 0

  return (
    <Group gap={0} wrap="nowrap" align="stretch" style={{ flex: 1, minHeight: 0 }}>
      <Stack
        gap={0}
        w={420}
        miw={320}
        style={{ borderRight: '1px solid var(--mantine-color-default-border)', minHeight: 0 }}
        component="section"
        aria-label="Conversation list"
      >
        <Box
          px="sm"
          py={8}
          style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
        >
          <Group justify="space-between" wrap="nowrap">
            <Title order={1} size="h4" lineClamp={1}>
              {title}
            </Title>
            <Text size="sm" c="dimmed" data-testid="view-total">
              {total === null
                ? ''
                : `${count.toLocaleString()} ${count === 1 ? 'conversation' : 'conversations'}`}
            </Text>
          </Group>
          {bulk && (
            <Stack gap={6} mt={6} data-testid="bulk-actions">
              <Group justify="space-between">
                <Text size="sm" fw={600}>
                  {selected.size} selected
                </Text>
                <Button variant="subtle" size="compact-xs" onClick={() => setSelected(new Set())}>
                  Clear selection
                </Button>
              </Group>
              <TriageControls threadIds={[...selected]} menu={menu} onMenu={setMenu} />
            </Stack>
          )}
        </Box>
        {total === 0 ? (
          <Center style={{ flex: 1 }} p="lg">
            <Stack align="center" gap="xs">
              <Text fw={600}>Nothing here</Text>
              <Text size="sm" c="dimmed" ta="center">
                {route.view === 'all'
                  ? 'No conversations yet. Start one with New conversation (n).'
                  : `No conversations in ${title}.`}
              </Text>
            </Stack>
          </Center>
        ) : (
          <ThreadList
            label={`${title} conversations`}
            total={count}
            row={row}
            onVisible={setVisible}
            cursor={cursor}
            openId={route.threadId}
            selected={selected}
            onOpen={open}
            onToggle={toggle}
          />
        )}
      </Stack>
      <Box style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        {route.threadId ? (
          <ThreadPane
            ref={pane}
            key={route.threadId}
            threadId={route.threadId}
            menu={bulk ? null : menu}
            onMenu={setMenu}
            dropActive={!composing}
          />
        ) : (
          <Center style={{ flex: 1 }}>
            <Stack align="center" gap={4}>
              <Text c="dimmed">Pick a conversation, or press j and Enter.</Text>
              <Button variant="subtle" onClick={onCompose}>
                New conversation
              </Button>
            </Stack>
          </Center>
        )}
      </Box>
    </Group>
  )
}
