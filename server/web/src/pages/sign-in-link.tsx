import { Anchor, Loader, Paper, Stack, Text, Title } from '@mantine/core'
import { useEffect, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { api } from '../api'
import { errorText } from '../error-text'
import { destinationPath, threadIdIn, type LinkDestination } from '../links'
import { usePortal } from '../session'
import { ErrorAlert } from '../use-submission'
import { EmailLinkForm } from './email-link-form'

const INCOMPLETE =
  'This sign-in link is not complete: your mail app may have cut it short. Open it again from the email, or ask for a new one below.'

/**
 * One try per token for the page's lifetime: signing in swaps the signed-out pages for the
 * signed-in ones, which mounts this page again on the same address, and a second POST would
 * find the link used.
 */
const attempts = new Map<string, Promise<unknown>>()

/**
 * Where a sign-in link from an email lands (`/portal/sign-in-link?token=…&thread=…&file=…`).
 * The page signs in as it opens; a mail scanner that fetches the link without running the page
 * uses nothing up. Signed in, it goes on to the conversation (and file) the link was for. A used
 * or expired link says so and offers a new one for the same place.
 */
export function SignInLink() {
  const portal = usePortal()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const threadId = threadIdIn(params.get('thread'))
  const fileId = threadId ? threadIdIn(params.get('file')) : null
  const where: LinkDestination = { ...(threadId && { threadId }), ...(fileId && { fileId }) }
  const to = destinationPath(where)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let attempt = attempts.get(token)
    if (!attempt) {
      // A link cut short by a mail client is no token at all: said without asking the server.
      attempt = (
        token.length < 20 ? Promise.reject(new Error(INCOMPLETE)) : api.signInWithLink(token)
      ).then(() => portal.signedIn())
      attempts.set(token, attempt)
    }
    let current = true
    attempt.then(
      () => current && navigate(to, { replace: true }),
      (err: unknown) => current && setError(errorText(err)),
    )
    return () => {
      current = false
    }
  }, [token, to, navigate, portal])

  if (!error)
    return (
      <Stack align="center" mt="xl">
        <Loader aria-label="Signing you in" />
        <Text>Signing you in…</Text>
      </Stack>
    )
  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <Stack>
        <Title order={1} size="h2">
          This sign-in link can’t be used
        </Title>
        <ErrorAlert error={error} />
        <EmailLinkForm where={where} />
        <Anchor component={Link} to={to} size="sm">
          Sign in with your password instead
        </Anchor>
      </Stack>
    </Paper>
  )
}
