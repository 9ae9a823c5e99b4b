import { Anchor, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { SignInBody } from '../../../../src/shared/protocol'
import { api } from '../api'
import { EmailField } from '../email-field'
import { usePortal } from '../session'
import { EMAIL_WORDS, useSchemaForm } from '../use-schema-form'
import { ErrorAlert, useSubmission } from '../use-submission'

export function SignIn() {
  const portal = usePortal()
  const form = useSchemaForm(
    SignInBody,
    { email: '', password: '' },
    { email: EMAIL_WORDS, password: 'Enter your password (200 characters at most).' },
  )
  const { busy, error, run } = useSubmission()
  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <form
        onSubmit={form.onSubmit((values) => {
          // Signed in, the page shows what its address asked for: a link from an email opened
          // while signed out lands on that conversation, not the dashboard.
          run(() => api.signIn(values).then(() => portal.signedIn()))
        })}
      >
        <Stack>
          <Title order={1} size="h2">
            Sign in to your client portal
          </Title>
          <EmailField {...form.getInputProps('email')} />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <ErrorAlert error={error} />
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
