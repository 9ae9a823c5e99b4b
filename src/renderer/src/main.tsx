import '@mantine/core/styles.css'
import '@mantine/dropzone/styles.css'
import '@mantine/notifications/styles.css'
import '@mantine/spotlight/styles.css'
import '@mantine/dates/styles.css'
import '@mantine/charts/styles.css'
import { Center, Loader, MantineProvider } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { StrictMode, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import type { Connection } from '../../shared/ipc'
import { contrast, theme } from '../../ui/theme'
import { AppProvider } from './app-state'
import { engine, errorMessage, useEngineEvent } from './engine'
import { Shell } from './shell'
import { SignIn } from './screens/sign-in'

function App() {
  const [connection, setConnection] = useState<Connection | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    engine
      .getConnection({})
      .then(setConnection)
      .catch((e: unknown) => setError(errorMessage(e)))
  }, [])
  useEngineEvent('connection', setConnection)

  if (!connection)
    return (
      <Center h="100vh">
        {error ? <p role="alert">{error}</p> : <Loader aria-label="Starting Portal Inbox" />}
      </Center>
    )
  // Signed out by the person or by the server (a session ended elsewhere): the inbox, and every
  // alert on it, goes; what the cache holds stays for the same person signing in again.
  if (!connection.user || connection.state === 'signed-out')
    return <SignIn connection={connection} onSignedIn={setConnection} />
  return (
    <AppProvider connection={connection}>
      <Shell />
    </AppProvider>
  )
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    {/* Light and dark follow the operating system. */}
    <MantineProvider theme={theme} cssVariablesResolver={contrast} defaultColorScheme="auto">
      <Notifications position="top-right" limit={4} />
      <App />
    </MantineProvider>
  </StrictMode>,
)
