import { Anchor, Button, Divider, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { Link, useLocation, useSearchParams } from 'react-router'
import { SignInBody } from '../../../../src/shared/protocol'
import { api } from '../api'
import { EmailField } from '../email-field'
import { destinationOf } from '../links'
import { usePortal } from '../session'
import { EMAIL_WORDS, useSchemaForm } from '../use-schema-form'
import { ErrorAlert, useSubmission } from '../use-submission'
import { EmailLinkForm } from './email-link-form'

export function SignIn() {
  const portal = usePortal()
  const location = useLocation()
  const [params] = useSearchParams()
  const [byLink, setByLink] = useState(false)
  const form = useSchemaForm(
    SignInBody,
    { email: '', password: '' },
    { email: EMAIL_WORDS, password: 'Enter your password (200 characters at most).' },
  )
  const { busy, error, run } = useSubmission()
  const title = (
    <Title order={1} size="h2">
      Sign in to your client portal
    </Title>
  )
  if (byLink)
    return (
      <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
        <Stack>
          {title}
          {/* The link opens what this address asked for: the conversation (and file) of an email. */}
          <EmailLinkForm
            where={destinationOf(location.pathname, params)}
            email={form.values.email}
          />
          <Anchor component="button" type="button" size="sm" onClick={() => setByLink(false)}>
            Sign in with your password instead
          </Anchor>
        </Stack>
      </Paper>
    )
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
          {title}
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
          <Divider label="or" />
          <Button variant="default" onClick={() => setByLink(true)}>
            Email me a sign-in link
          </Button>
          <Text size="sm" c="dimmed">
            New here? Use the link in your invitation email to set your password.
          </Text>
        </Stack>
      </form>
    </Paper>
  )
}
