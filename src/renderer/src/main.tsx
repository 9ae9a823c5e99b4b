import { StrictMode, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import type { Connection } from '../../shared/ipc'
import { connectEngine } from './bridge'

const engine = connectEngine()

// The staff inbox UI arrives with issue 5. Until then this page shows that the renderer reaches
// the real engine through the contract, in Electron and in the browser alike.
function App() {
  const [connection, setConnection] = useState<Connection | null>(null)
  const [threads, setThreads] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const refresh = () =>
      Promise.all([engine.getConnection({}), engine.viewCounts({})])
        .then(([c, counts]) => {
          setConnection(c)
          setThreads(counts.views.all)
        })
        .catch((e: Error) => setError(e.message))
    void refresh()
    const offs = [
      engine.on('connection', setConnection),
      engine.on('changed', () => void refresh()),
    ]
    return () => offs.forEach((off) => off())
  }, [])
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 32 }}>
      <h1>Portal Inbox</h1>
      {error && <p role="alert">{error}</p>}
      <p data-testid="connection">
        {connection?.user
          ? `Signed in as ${connection.user.email}: ${connection.state}`
          : connection
            ? `Not signed in (${connection.state})`
            : 'Connecting to the engine…'}
      </p>
      {threads !== null && (
        <p data-testid="threads">{threads} open conversations in the local cache</p>
      )}
      <p>The staff inbox screens are being built.</p>
    </main>
  )
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
