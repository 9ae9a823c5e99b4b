import {
  ActionIcon,
  AppShell,
  Badge,
  Button,
  Divider,
  Group,
  Kbd,
  Loader,
  NavLink,
  ScrollArea,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core'
import { useDisclosure, useHotkeys } from '@mantine/hooks'
import { lazy, memo, Suspense, useEffect, useRef, useState, type ReactNode } from 'react'
import { spotlight } from '@mantine/spotlight'
import { MessageAlerts } from './alerts'
import type { Person, Project } from '../../shared/protocol'
import { ConnectionIndicator, OfflineBanner, SyncProgress } from './connection'
import { engine, useEngineEvent } from './engine'
import { inboxViews, viewLabel } from './format'
import { InboxScreen } from './inbox/inbox-screen'
import { QuickSearch } from './search/quick-search'
import { ShortcutSheet } from './shortcuts'
import { useOutbox, useViewCounts } from './state/activity'
import { useMe } from './state/connection'
import { useOpenedOnce } from './lazy-dialog'
import { useProjects } from './state/directory'
import { inboxRoute, useRoute, type Route } from './state/route'

// Screens visited now and then load on first use: the charts and forms stay out of the bundle
// that has to run before the first inbox rows paint (npm run bench, ui.first_rows_ms).
const AdminScreen = lazy(() => import('./screens/admin').then((m) => ({ default: m.AdminScreen })))
const InsightsScreen = lazy(() =>
  import('./screens/insights').then((m) => ({ default: m.InsightsScreen })),
)
const OutboxScreen = lazy(() =>
  import('./screens/outbox').then((m) => ({ default: m.OutboxScreen })),
)
const SettingsScreen = lazy(() =>
  import('./screens/settings').then((m) => ({ default: m.SettingsScreen })),
)
// Search's date pickers (@mantine/dates) and the new-conversation form (@mantine/form, zod, the
// drop zone) likewise wait until they are first wanted.
const SearchScreen = lazy(() =>
  import('./search/search-screen').then((m) => ({ default: m.SearchScreen })),
)
const NewThreadModal = lazy(() =>
  import('./composer/new-thread').then((m) => ({ default: m.NewThreadModal })),
)

export function Shell() {
  const { route, navigate, openThread } = useRoute()
  const counts = useViewCounts()
  const outbox = useOutbox()
  const { projects } = useProjects()
  const { me, isAdmin } = useMe()
  const [help, helpControls] = useDisclosure(false)
  const [composing, setComposing] = useState(false)
  const composed = useOpenedOnce(composing)

  // Shortcuts that work on every screen; the inbox adds its own (j, k, r, a, e, s, u…).
  useHotkeys([
    ['n', () => setComposing(true)],
    ['/', () => navigate({ screen: 'search' })],
    // '?' is Shift+/ on most layouts; some report the key without Shift.
    ['shift+?', () => helpControls.open()],
    ['?', () => helpControls.open()],
  ])

  useEngineEvent('navigate', ({ threadId }) => openThread(threadId))
  useMenuCommands({ compose: () => setComposing(true), shortcuts: helpControls.open })

  const inInbox = route.screen === 'inbox' ? route : null
  const outboxCount = outbox.length

  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 250, breakpoint: 0 }}
      padding={0}
      styles={{ main: { height: '100vh', display: 'flex', flexDirection: 'column' } }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Text fw={700}>Portal Inbox</Text>
            <ConnectionIndicator />
          </Group>
          <Button
            variant="default"
            onClick={() => spotlight.open()}
            w={360}
            justify="space-between"
            rightSection={
              <span>
                <Kbd size="xs">Ctrl</Kbd> <Kbd size="xs">K</Kbd>
              </span>
            }
            aria-label="Quick search (Ctrl+K)"
          >
            <Text c="dimmed" size="sm">
              Search messages…
            </Text>
          </Button>
          <Group gap="xs" wrap="nowrap">
            <Button onClick={() => setComposing(true)}>New conversation</Button>
            <Tooltip label="Keyboard shortcuts (?)">
              <ActionIcon
                variant="default"
                size="lg"
                onClick={helpControls.open}
                aria-label="Keyboard shortcuts"
              >
                ?
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar>
        <Navigation
          active={activeKey(route)}
          counts={counts}
          projects={projects}
          outboxCount={outboxCount}
          outboxProblem={outbox.some((e) => e.state !== 'pending' && e.state !== 'sending')}
          isAdmin={isAdmin}
          me={me}
          navigate={navigate}
        />
      </AppShell.Navbar>

      <AppShell.Main>
        <SyncProgress />
        <OfflineBanner />
        <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
          {route.screen === 'inbox' && (
            <InboxScreen route={route} onCompose={() => setComposing(true)} composing={composing} />
          )}
          {route.screen === 'search' && (
            <Suspense fallback={<Loader role="status" aria-label="Loading" />}>
              <SearchScreen initialQuery={route.query ?? ''} />
            </Suspense>
          )}
          {route.screen === 'outbox' && (
            <Suspense fallback={<Loader role="status" aria-label="Loading" />}>
              <OutboxScreen />
            </Suspense>
          )}
          {route.screen === 'settings' && (
            <ScreenFrame>
              <SettingsScreen />
            </ScreenFrame>
          )}
          {route.screen === 'admin' && (
            <ScreenFrame>
              <AdminScreen />
            </ScreenFrame>
          )}
          {route.screen === 'insights' && (
            <ScreenFrame>
              <InsightsScreen />
            </ScreenFrame>
          )}
        </div>
      </AppShell.Main>

      <MessageAlerts />
      <QuickSearch />
      <ShortcutSheet opened={help} onClose={helpControls.close} />
      {composed && (
        <Suspense fallback={null}>
          <NewThreadModal
            opened={composing}
            onClose={() => setComposing(false)}
            defaultProjectId={inInbox?.projectId ?? null}
            onCreated={(threadId) => {
              setComposing(false)
              openThread(threadId)
            }}
          />
        </Suspense>
      )}
    </AppShell>
  )
}

/** Which navbar entry is current. Opening a thread does not change it, so the navbar (every project
 * is a link) does not re-render on each open (npm run bench, ui.open_thread_ms). */
function activeKey(route: Route): string {
  return route.screen === 'inbox' ? `inbox:${route.view}:${route.projectId ?? ''}` : route.screen
}

const Navigation = memo(function Navigation({
  active,
  counts,
  projects,
  outboxCount,
  outboxProblem,
  isAdmin,
  me,
  navigate,
}: {
  active: string
  counts: ReturnType<typeof useViewCounts>
  projects: Project[]
  outboxCount: number
  outboxProblem: boolean
  isAdmin: boolean
  me: Person | null
  navigate: (route: Route) => void
}) {
  // Three parts: the views and the screens stay put, the projects between them scroll on their
  // own, so at 1280x720 (and with many projects) Search, Outbox, Insights, Settings and Admin
  // are always on screen.
  return (
    <nav aria-label="Inbox navigation" style={{ display: 'contents' }}>
      <AppShell.Section p="xs" pb={0}>
        {inboxViews.map((view) => (
          <NavLink
            key={view}
            component="button"
            label={viewLabel[view]}
            active={active === `inbox:${view}:`}
            onClick={() => navigate(inboxRoute(view))}
            rightSection={<Count n={counts?.views[view]} urgent={view === 'urgent'} />}
            {...compact}
          />
        ))}
        <Divider my={4} label="Projects" labelPosition="left" />
      </AppShell.Section>
      <AppShell.Section
        grow
        component={ScrollArea}
        px="xs"
        type="auto"
        data-testid="nav-projects"
        style={{ minHeight: 48 }}
      >
        {projects.map((project) => (
          <NavLink
            key={project.id}
            component="button"
            label={project.name}
            description={project.stage}
            active={active === `inbox:all:${project.id}`}
            onClick={() => navigate(inboxRoute('all', project.id))}
            rightSection={<Count n={counts?.projects[project.id]} />}
            {...compact}
          />
        ))}
      </AppShell.Section>
      <AppShell.Section px="xs" pb={4}>
        <Divider my={4} />
        {screens
          .filter((screen) => isAdmin || screen !== 'admin')
          .map((screen) => (
            <NavLink
              key={screen}
              component="button"
              label={screenLabel[screen]}
              active={active === screen}
              onClick={() => navigate({ screen })}
              rightSection={
                screen === 'outbox' ? (
                  <Count n={outboxCount} urgent={outboxProblem} what="changes waiting" />
                ) : undefined
              }
              {...compact}
            />
          ))}
      </AppShell.Section>
      <AppShell.Section
        px="sm"
        py={6}
        style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
      >
        <Text size="xs" c="dimmed" truncate title={`${me?.name} · ${me?.email}`}>
          {me?.name} · {me?.email}
        </Text>
      </AppShell.Section>
    </nav>
  )
})

/** The screens below the projects, in the navbar's order (Admin for admins only). */
const screens = ['search', 'outbox', 'insights', 'settings', 'admin'] as const
const screenLabel: Record<(typeof screens)[number], string> = {
  search: 'Search',
  outbox: 'Outbox',
  insights: 'Insights',
  settings: 'Settings',
  admin: 'Admin',
}

/** Navbar entries a little tighter than Mantine's default, so the fixed parts fit 720 px. */
const compact = { py: 6 } as const

// The keys each menu command stands for. Single keys reach the screens' own shortcuts; Ctrl+Enter
// goes to the focused message box, since the menu's registered accelerator keeps it from the page.
const commandKeys: Record<string, { key: string; ctrlKey?: boolean; focused?: boolean }> = {
  next: { key: 'j' },
  previous: { key: 'k' },
  reply: { key: 'r' },
  assign: { key: 'a' },
  close: { key: 'e' },
  snooze: { key: 's' },
  unread: { key: 'u' },
  send: { key: 'Enter', ctrlKey: true, focused: true },
}

/** Electron's application menu sends commands; the browser host has no menu and never calls this. */
function useMenuCommands(direct: { compose: () => void; shortcuts: () => void }) {
  const latest = useRef(direct)
  latest.current = direct
  useEffect(
    () =>
      engine.onCommand?.((command) => {
        if (command === 'compose') return latest.current.compose()
        if (command === 'shortcuts') return latest.current.shortcuts()
        if (command === 'search') return spotlight.open()
        const keys = commandKeys[command]
        if (!keys) return
        const target = keys.focused ? document.activeElement : document.documentElement
        target?.dispatchEvent(
          new KeyboardEvent('keydown', {
            key: keys.key,
            ctrlKey: keys.ctrlKey ?? false,
            bubbles: true,
          }),
        )
      }),
    [],
  )
}

function ScreenFrame({ children }: { children: ReactNode }) {
  return (
    <ScrollArea style={{ flex: 1 }} p="lg">
      <Suspense fallback={<Loader role="status" aria-label="Loading" />}>{children}</Suspense>
    </ScrollArea>
  )
}

function Count({
  n,
  urgent = false,
  what = 'conversations',
}: {
  n: number | undefined
  urgent?: boolean
  /** What is counted, for screen readers. */
  what?: string
}) {
  if (!n) return null
  return (
    <Badge
      size="sm"
      variant={urgent ? 'filled' : 'light'}
      color={urgent ? 'red' : undefined}
      circle={n < 10}
    >
      {n > 99_999 ? '99k+' : n}
      <VisuallyHidden> {what}</VisuallyHidden>
    </Badge>
  )
}
