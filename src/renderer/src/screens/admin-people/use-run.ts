import { useState } from 'react'
import { errorMessage } from '../../engine'

/**
 * One call to the server at a time from a form or a button: busy while it runs, and when it
 * fails the engine's sentence, or what `onError` makes of it (null: said elsewhere, at a field).
 */
export function useRun() {
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const run = async (
    call: () => Promise<void>,
    onError: (err: unknown) => string | null = errorMessage,
  ) => {
    setProblem(null)
    setBusy(true)
    try {
      await call()
    } catch (err) {
      setProblem(onError(err))
    } finally {
      setBusy(false)
    }
  }
  return { problem, busy, run }
}
