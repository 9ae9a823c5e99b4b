import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

// The staff inbox UI arrives with issue 5; this page says so instead of pretending.
function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 32 }}>
      <h1>Portal Inbox</h1>
      <p>
        The desktop staff inbox is being built. The portal server is ready: run npm run server --
        --demo.
      </p>
    </main>
  )
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
