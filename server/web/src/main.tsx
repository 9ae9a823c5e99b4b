import '@mantine/core/styles.css'
import '@mantine/dropzone/styles.css'
import {
  Alert,
  AppShell,
  Badge,
  Burger,
  Button,
  Group,
  Loader,
  MantineProvider,
  NavLink,
  Text,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router'
import { QueryClientProvider } from '@tanstack/react-query'
import { Dashboard } from './pages/dashboard'
import { ForgotPassword } from './pages/forgot-password'
import { NewMessage } from './pages/new-message'
import { OpenInApp } from './pages/open-in-app'
import { Search } from './pages/search'
import { SetPassword } from './pages/set-password'
import { SignInLink } from './pages/sign-in-link'
import { Unsubscribe } from './pages/unsubscribe'
import { Settings } from './pages/settings'
import { SignIn } from './pages/sign-in'
import { Threads } from './pages/threads'
import { ThreadView } from './pages/thread-view'
import { portalQueryClient } from './queries'
import { PortalProvider, usePortal } from './session'
import { contrast, theme } from '../../../src/ui/theme'

/**
 * The pages links in mail open, signed in or not: a link from an email is for whoever holds
 * that mailbox, whoever is signed in here.
 */
const emailLinkRoutes = (
  <>
    <Route path="/set-password" element={<SetPassword />} />
    <Route path="/sign-in-link" element={<SignInLink />} />
    <Route path="/unsubscribe" element={<Unsubscribe />} />
    <Route path="/open/:id" element={<OpenInApp />} />
  </>
)

function Shell() {
  const portal = usePortal()
  const location = useLocation()
  const [opened, { toggle, close }] = useDisclosure()
  if (!portal.ready) return <Loader m="xl" aria-label="Loading the portal" />
  if (!portal.me) {
    return (
      <Routes>
        {emailLinkRoutes}
        <Route path="/forgot-password" element={<ForgotPassword />} />
        <Route path="*" element={<SignIn />} />
      </Routes>
    )
  }
  const nav = [
    { to: '/', label: 'Dashboard' },
    { to: '/threads', label: 'Messages', badge: portal.unread },
    { to: '/new', label: 'New message' },
    { to: '/search', label: 'Search' },
    { to: '/settings', label: 'Settings' },
  ]
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={
                portal.unread ? `Open the menu (${portal.unread} unread)` : 'Open the menu'
              }
            />
            <Text fw={700} truncate>
              {portal.me.company.name}
            </Text>
            {portal.unread > 0 && !opened && (
              // On a phone the navigation is folded away: the unread count stays in sight.
              <Badge
                component={Link}
                to="/threads"
                hiddenFrom="sm"
                size="sm"
                aria-label={`${portal.unread} unread: open the conversations`}
                style={{ cursor: 'pointer' }}
              >
                {portal.unread}
              </Badge>
            )}
          </Group>
          <Group gap="sm">
            <Text size="sm" visibleFrom="sm">
              {portal.me.user.name}
            </Text>
            <Button variant="subtle" size="xs" onClick={() => void portal.signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Portal">
        {nav.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            active={
              item.to === '/' ? location.pathname === '/' : location.pathname.startsWith(item.to)
            }
            onClick={close}
            rightSection={
              item.badge ? (
                <Badge size="sm" aria-label={`${item.badge} unread`}>
                  {item.badge}
                </Badge>
              ) : null
            }
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {!portal.online && (
          <Alert color="yellow" role="status" mb="md" title="You’re offline">
            The portal cannot be reached right now. You can read what is on screen; what you type
            stays in the box until you can send it.
          </Alert>
        )}
        <Routes>
          <Route path="/" element={<Dashboard />} />
          {emailLinkRoutes}
          <Route path="/threads" element={<Threads />} />
          <Route path="/threads/:id" element={<ThreadView />} />
          <Route path="/new" element={<NewMessage />} />
          <Route path="/search" element={<Search />} />
          <Route path="/settings" element={<Settings />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  )
}

// The browser check (public/browser-check.js) looks for this once the page has loaded: the
// module ran here, so the browser could run the page.
document.documentElement.dataset.portal = 'started'

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={contrast} defaultColorScheme="auto">
      <QueryClientProvider client={portalQueryClient()}>
        <BrowserRouter basename="/portal">
          <PortalProvider>
            <Shell />
          </PortalProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
)
