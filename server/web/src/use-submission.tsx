import { Alert } from '@mantine/core'
import { useState } from 'react'
import { errorText } from './error-text'

/** A form's one call at a time: busy while it runs, and what went wrong in the server's words. */
export function useSubmission() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = (work: () => Promise<unknown>) => {
    setBusy(true)
    setError(null)
    work()
      .catch((err: unknown) => setError(errorText(err)))
      .finally(() => setBusy(false))
  }
  return { busy, error, setError, run }
}

/** What went wrong, read out at once (role="alert"). */
export function ErrorAlert({ error }: { error: string | null }) {
  if (!error) return null
  return (
    <Alert color="red" role="alert">
      {error}
    </Alert>
  )
}
