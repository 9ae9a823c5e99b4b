import { Alert, Anchor, Button, Paper, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { api } from '../api'
import { usePortal } from '../session'
import { ErrorAlert, useSubmission } from '../use-submission'

/** The server's words for a token that is no one's, said without asking for a link cut short. */
const INCOMPLETE =
  'This unsubscribe link is not complete, so nothing was changed. Open it again from the email, or sign in to your portal and turn message emails off in Settings.'

/**
 * Where the unsubscribe link of a message alert lands (`/portal/unsubscribe?token=…`). Opening
 * it changes nothing (mail scanners open links before anyone reads the mail); the button does,
 * as a mail client's one-click unsubscribe does, without signing in.
 */
export function Unsubscribe() {
  const portal = usePortal()
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const [doneFor, setDoneFor] = useState<string | null>(null)
  const { busy, error, run } = useSubmission()
  const settings = (
    <Anchor component={Link} to="/settings" underline="always">
      Settings
    </Anchor>
  )
  return (
    <Paper maw={520} mx="auto" mt="xl" p="lg" withBorder>
      <Stack>
        <Title order={1} size="h2">
          Stop message emails
        </Title>
        {token.length < 20 ? (
          <Alert color="red" role="alert">
            {INCOMPLETE}
          </Alert>
        ) : doneFor ? (
          <Alert color="green" role="status" title="Message emails are off">
            We won’t email {doneFor} when a new message arrives. Your conversations stay in your
            portal, and you can still read and reply there.
          </Alert>
        ) : (
          <>
            <Text>
              Turn off the emails we send when a new message arrives in one of your conversations?
              Your conversations stay in your portal.
            </Text>
            <ErrorAlert error={error} />
            <Button
              loading={busy}
              onClick={() => run(() => api.unsubscribe(token).then((res) => setDoneFor(res.email)))}
            >
              Turn off message emails
            </Button>
          </>
        )}
        <Text size="sm" c="dimmed">
          To turn them on again, sign in to your portal, open {settings} and switch on “Email me
          when a new message arrives”.
          {!portal.me && ' You can sign in with your password or ask for a sign-in link by email.'}
        </Text>
      </Stack>
    </Paper>
  )
}
