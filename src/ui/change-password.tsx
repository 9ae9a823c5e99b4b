import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useState } from 'react'
import { ChangePasswordBody } from '../shared/protocol'
import { schemaWords } from './schema-words'

const MIN_LENGTH = ChangePasswordBody.shape.newPassword.minLength ?? 0

interface Fields {
  currentPassword: string
  newPassword: string
  again: string
}

const schemaProblems = schemaWords<Fields>(
  ChangePasswordBody,
  {
    currentPassword: 'Type your current password.',
    newPassword: ({ newPassword }) =>
      `Use at least ${MIN_LENGTH} characters (${newPassword.length} now).`,
  },
  ({ currentPassword, newPassword }) => ({ currentPassword, newPassword }),
)

/** The schema's checks, then the two only this form can make: a new password, typed twice alike. */
function problems(values: Fields) {
  const found = schemaProblems(values)
  if (!found.newPassword && values.newPassword === values.currentPassword)
    found.newPassword = 'Choose a password different from the current one.'
  if (!found.newPassword && values.again !== values.newPassword)
    found.again = 'The two new passwords differ; type it again.'
  return found
}

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
  const form = useForm<Fields>({
    initialValues: { currentPassword: '', newPassword: '', again: '' },
    validate: problems,
  })
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async ({ currentPassword, newPassword }: Fields) => {
    setBusy(true)
    try {
      const { sessionsEnded } = await change(currentPassword, newPassword)
      form.reset()
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
  const onSubmit = form.onSubmit((values) => void submit(values))

  return (
    <form
      onSubmit={(event) => {
        setDone(null)
        setError(null)
        onSubmit(event)
      }}
      noValidate
      aria-label="Change password"
    >
      <Stack gap="sm" maw={420}>
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          {...form.getInputProps('currentPassword')}
        />
        <PasswordInput
          label="New password"
          description={`At least ${MIN_LENGTH} characters`}
          autoComplete="new-password"
          {...form.getInputProps('newPassword')}
        />
        <PasswordInput
          label="New password again"
          autoComplete="new-password"
          {...form.getInputProps('again')}
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
