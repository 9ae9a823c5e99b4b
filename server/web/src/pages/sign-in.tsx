import {
  Alert,
  Anchor,
  Button,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useState } from 'react'
import { Link } from 'react-router'
import { SignInBody } from '../../../../src/shared/protocol'
import { api } from '../api'
import { errorText } from '../error-text'
import { usePortal } from '../session'
import { useSchemaForm } from '../use-schema-form'

export function SignIn() {
  const portal = usePortal()
  const form = useSchemaForm(SignInBody, { email: '', password: '' })
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <form
        onSubmit={form.onSubmit((values) => {
          setBusy(true)
          setError(null)
          // Signed in, the page shows what its address asked for: a link from an email opened
          // while signed out lands on that conversation, not the dashboard.
          api
            .signIn(values)
            .then(() => portal.signedIn())
            .catch((err: unknown) => setError(errorText(err)))
            .finally(() => setBusy(false))
        })}
      >
        <Stack>
          <Title order={1} size="h2">
            Sign in to your client portal
          </Title>
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
          <Anchor component={Link} to="/forgot-password" size="sm">
            Forgot password?
          </Anchor>
          <Text size="sm" c="dimmed">
            New here? Use the link in your invitation email to set your password.
          </Text>
        </Stack>
      </form>
    </Paper>
  )
}
