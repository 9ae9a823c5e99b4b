import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core'
import { useState, type FormEvent } from 'react'

const MIN_LENGTH = 10

/**
 * Change your own password, for the staff inbox and the customer portal alike. The current
 * password proves it is you; the server then signs out every other device, which the form says.
 * Mistakes a person can see before sending (too short, the two new ones differ) are said at once,
 * beside the field.
 */
export function ChangePasswordForm({
  change,
  errorText,
}: {
  change: (currentPassword: string, newPassword: string) => Promise<{ sessionsEnded: number }>
  errorText: (err: unknown) => string
}) {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [problems, setProblems] = useState<{ current?: string; next?: string; again?: string }>({})
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setDone(null)
    setError(null)
    const found: typeof problems = {}
    if (!current) found.current = 'Type your current password.'
    if (next.length < MIN_LENGTH)
      found.next = `Use at least ${MIN_LENGTH} characters (${next.length} now).`
    else if (next === current) found.next = 'Choose a password different from the current one.'
    if (!found.next && again !== next) found.again = 'The two new passwords differ; type it again.'
    setProblems(found)
    if (Object.keys(found).length) return
    setBusy(true)
    try {
      const { sessionsEnded } = await change(current, next)
      setCurrent('')
      setNext('')
      setAgain('')
      setDone(
        sessionsEnded
          ? `Password changed. ${sessionsEnded === 1 ? 'One other device was' : `${sessionsEnded} other devices were`} signed out; you stay signed in here.`
          : 'Password changed. You stay signed in here.',
      )
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Change password">
      <Stack gap="sm" maw={420}>
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          value={current}
          error={problems.current}
          onChange={(e) => {
            setCurrent(e.currentTarget.value)
            setProblems((p) => ({ ...p, current: undefined }))
          }}
        />
        <PasswordInput
          label="New password"
          description={`At least ${MIN_LENGTH} characters`}
          autoComplete="new-password"
          value={next}
          error={problems.next}
          onChange={(e) => {
            setNext(e.currentTarget.value)
            setProblems((p) => ({ ...p, next: undefined }))
          }}
        />
        <PasswordInput
          label="New password again"
          autoComplete="new-password"
          value={again}
          error={problems.again}
          onChange={(e) => {
            setAgain(e.currentTarget.value)
            setProblems((p) => ({ ...p, again: undefined }))
          }}
        />
        <Text size="sm" c="dimmed">
          Changing it signs you out on your other devices.
        </Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {done && (
          <Alert color="green" role="status">
            {done}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
