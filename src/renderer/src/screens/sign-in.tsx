import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  Progress,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useState, type FormEvent } from 'react'
import type { Connection } from '../../../shared/ipc'
import { engine, errorMessage, useEngineEvent } from '../engine'

/**
 * Server address, email and password. Errors name what to fix; once the server accepts, the first
 * sync runs with a progress bar (the inbox opens when the engine reports it is online).
 */
export function SignIn({
  connection,
  onSignedIn,
}: {
  connection: Connection
  onSignedIn: (c: Connection) => void
}) {
  const [serverUrl, setServerUrl] = useState(connection.serverUrl ?? defaultServer())
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [resetSent, setResetSent] = useState<string | null>(null)
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null)
  useEngineEvent('syncProgress', (p) => setProgress(p))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const problem = check(serverUrl, email, password)
    if (problem) return setError(problem)
    setError(null)
    setResetSent(null)
    setBusy(true)
    try {
      onSignedIn(
        await engine.signIn({ serverUrl: serverUrl.trim(), email: email.trim(), password }),
      )
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  /** The way out of a forgotten password or a sign-in hold: the server mails a reset link. */
  const forgot = async () => {
    const problem = checkAccount(serverUrl, email)
    if (problem) return setError(problem)
    setError(null)
    setResetSent(null)
    try {
      const { message } = await engine.requestPasswordReset({
        serverUrl: serverUrl.trim(),
        email: email.trim(),
      })
      setResetSent(message)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} component="main">
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <Title order={1} size="h2">
              Portal Inbox
            </Title>
            <Text c="dimmed" size="sm">
              Sign in with your staff account to read and answer your customers’ messages.
            </Text>
            {connection.reason && <Alert color="yellow">{connection.reason}</Alert>}
            <TextInput
              label="Server address"
              description="The address of your company’s portal, e.g. https://portal.example.com"
              value={serverUrl}
              onChange={(e) => setServerUrl(e.currentTarget.value)}
              required
              autoComplete="url"
            />
            <TextInput
              label="Email"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              required
              autoComplete="username"
              data-autofocus
            />
            <PasswordInput
              label="Password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
              autoComplete="current-password"
            />
            {error && (
              <Alert color="red" role="alert" title="Could not sign in">
                {error}
              </Alert>
            )}
            {resetSent && (
              <Alert color="green" role="status" title="Check your email">
                {resetSent} Open the link, choose a new password, then sign in here with it.
              </Alert>
            )}
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
            <Anchor component="button" type="button" size="sm" onClick={() => void forgot()}>
              Forgot password?
            </Anchor>
            {busy && progress && progress.total > 0 && (
              <Stack gap={4}>
                <Text size="sm">
                  Downloading your conversations: {progress.done.toLocaleString()} of{' '}
                  {progress.total.toLocaleString()}
                </Text>
                <Progress
                  value={(100 * progress.done) / progress.total}
                  aria-label="First sync progress"
                />
              </Stack>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  )
}

function defaultServer(): string {
  // Until someone has signed in once: the portal server's default address on this machine.
  return 'http://127.0.0.1:4870'
}

function check(serverUrl: string, email: string, password: string): string | null {
  return checkAccount(serverUrl, email) ?? (password ? null : 'Enter your password.')
}

/** The server and the email, which a reset link needs too. */
function checkAccount(serverUrl: string, email: string): string | null {
  try {
    const url = new URL(serverUrl.trim())
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return 'The server address must start with https:// (or http:// for a server on this machine).'
  } catch {
    return 'Enter the server address, e.g. https://portal.example.com.'
  }
  if (!/^\S+@\S+\.\S+$/.test(email.trim())) return 'Enter your email address, e.g. sam@builder.com.'
  return null
}
