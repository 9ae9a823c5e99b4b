import '@mantine/core/styles.css'
import '@mantine/dropzone/styles.css'
import '@mantine/notifications/styles.css'
import '@mantine/spotlight/styles.css'
import '@mantine/dates/styles.css'
import '@mantine/charts/styles.css'
import { Center, Loader, MantineProvider } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { usePrefetchQuery, useQuery, useQueryClient } from '@tanstack/react-query'
import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import { config as zodConfig } from 'zod'
import type { Connection } from '../../shared/ipc'
import { contrast, theme } from '../../ui/theme'
import { applyConnection } from './data/invalidation'
import { EngineDataProvider } from './data/provider'
import { engineQuery } from './data/queries'
import { errorMessage } from './engine'
import { threadPageQuery } from './inbox/use-thread-pages'
import { Shell } from './shell'
import { ConnectionProvider } from './state/connection'
import { firstInbox, RouteProvider } from './state/route'

// The forms check input with the shared schemas; zod would otherwise probe eval() once, which the
// page's CSP forbids (and reports). Only zod's config is in this bundle: the schemas come with the
// lazy screens and forms below, which load after this has run.
zodConfig({ jitless: true })

// Sign-in shows only when nobody is signed in; its form and the schemas it checks with (zod,
// @mantine/form) stay out of the bundle that runs before the first inbox rows paint
// (npm run bench, ui.first_rows_ms).
const SignIn = lazy(() => import('./screens/sign-in').then((m) => ({ default: m.SignIn })))

function App() {
  const client = useQueryClient()
  const { data: connection, error } = useQuery(engineQuery('getConnection', {}))
  const onSignedIn = (next: Connection) => applyConnection(client, next)

  if (!connection)
    return error ? (
      <Center h="100vh">
        <p role="alert">{errorMessage(error)}</p>
      </Center>
    ) : (
      <Starting />
    )
  // Signed out by the person or by the server (a session ended elsewhere): the inbox, and every
  // alert on it, goes; what the cache holds stays for the same person signing in again.
  if (!connection.user || connection.state === 'signed-out')
    return (
      <Suspense fallback={<Starting />}>
        <SignIn connection={connection} onSignedIn={onSignedIn} />
      </Suspense>
    )
  return (
    <ConnectionProvider value={connection}>
      <RouteProvider>
        <SignedIn />
      </RouteProvider>
    </ConnectionProvider>
  )
}

function Starting() {
  return (
    <Center h="100vh">
      <Loader role="status" aria-label="Starting Portal Inbox" />
    </Center>
  )
}

/**
 * The inbox's first page is asked for before the shell renders: the shell's own reads (people,
 * projects, settings, the outbox, counts) would otherwise go first, and the rows, which are what
 * the person opened the app to see, waited behind them (scripts/bench `ui.first_rows_list_call_ms`).
 */
function SignedIn() {
  usePrefetchQuery(threadPageQuery(firstInbox.view, firstInbox.projectId, 0))
  return <Shell />
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    {/* Light and dark follow the operating system. */}
    <MantineProvider theme={theme} cssVariablesResolver={contrast} defaultColorScheme="auto">
      <Notifications position="top-right" limit={4} />
      <EngineDataProvider>
        <App />
      </EngineDataProvider>
    </MantineProvider>
  </StrictMode>,
)
