import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { SetPasswordBody } from '../../../../src/shared/protocol'
import { api } from '../api'
import { errorText } from '../error-text'
import { threadIdIn } from '../links'
import { usePortal } from '../session'
import { useSchemaForm } from '../use-schema-form'

/** The token comes from the link, not from the person: the form holds the password only. */
const NewPassword = SetPasswordBody.pick({ password: true })

/**
 * The invitation's link and the reset link both lead here; a reset link says so (`reset=1`), and
 * an invitation into a conversation opens it once the password is set (`thread=<id>`).
 */
export function SetPassword() {
  const portal = usePortal()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const reset = params.get('reset') === '1'
  const threadId = threadIdIn(params.get('thread'))
  const form = useSchemaForm(
    NewPassword,
    { password: '' },
    { password: 'Use at least 10 characters, and 200 at most.' },
  )
  const [error, setError] = useState<string | null>(null)
  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <form
        onSubmit={form.onSubmit(({ password }) => {
          api
            .setPassword({ token: params.get('token') ?? '', password })
            .then(() => portal.signedIn())
            .then(() => navigate(threadId ? `/threads/${threadId}` : '/'))
            .catch((err: unknown) => setError(errorText(err)))
        })}
      >
        <Stack>
          <Title order={1} size="h2">
            {reset ? 'Choose a new password' : 'Set your password'}
          </Title>
          {reset && (
            <Text size="sm">
              Your old password stops working once you save the new one. This link works once.
            </Text>
          )}
          {!reset && threadId && (
            <Text size="sm">
              Choose a password for your client portal. The conversation you were invited to opens
              as soon as it is saved.
            </Text>
          )}
          <PasswordInput
            label="New password"
            description="At least 10 characters"
            autoComplete="new-password"
            required
            minLength={10}
            {...form.getInputProps('password')}
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
              {reset && (
                <>
                  {' '}
                  <Anchor component={Link} to="/forgot-password">
                    Ask for a new link
                  </Anchor>
                </>
              )}
            </Alert>
          )}
          <Button type="submit">
            {reset ? 'Save new password and sign in' : 'Save password and sign in'}
          </Button>
        </Stack>
      </form>
    </Paper>
  )
}
