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
import { useForm } from '@mantine/form'
import { useState } from 'react'
import { ipcInputs, type Connection } from '../../../shared/ipc'
import { SignInBody } from '../../../shared/protocol'
import { FormAnswer } from '../../../ui/form-answer'
import { firstError, schemaWords } from '../../../ui/schema-words'
import { engine, errorMessage, useEngineEvent } from '../engine'

interface Fields {
  serverUrl: string
  email: string
  password: string
}
const order = ['serverUrl', 'email', 'password'] as const
const words = {
  serverUrl: 'Enter the server address, e.g. https://portal.example.com.',
  email: 'Enter your email address, e.g. sam@builder.com.',
  password: 'Enter your password.',
}
// The engine's rule for the address and the server's for the account, in this screen's words.
const account = ipcInputs.signIn.pick({ serverUrl: true }).extend({ email: SignInBody.shape.email })
const accountProblems = schemaWords<Fields>(account, words, ({ serverUrl, email }) => ({
  serverUrl: serverUrl.trim(),
  email: email.trim(),
}))
const signInProblems = schemaWords<Fields>(
  account.extend({ password: SignInBody.shape.password }),
  words,
  ({ serverUrl, email, password }) => ({
    serverUrl: serverUrl.trim(),
    email: email.trim(),
    password,
  }),
)

/** The server and the email, which a reset link needs too; the password only to sign in. */
function problem(values: Fields, withPassword: boolean): string | null {
  const errors = (withPassword ? signInProblems : accountProblems)(values)
  // A URL the browser reads but the portal cannot be at (ftp:, mailto:).
  if (!errors.serverUrl && !/^https?:$/.test(new URL(values.serverUrl.trim()).protocol))
    errors.serverUrl =
      'The server address must start with https:// (or http:// for a server on this machine).'
  return firstError(errors, order)
}

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
  const form = useForm<Fields>({
    initialValues: { serverUrl: connection.serverUrl ?? defaultServer(), email: '', password: '' },
  })
  const { serverUrl, email, password } = form.values
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [resetSent, setResetSent] = useState<string | null>(null)
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null)
  useEngineEvent('syncProgress', (p) => setProgress(p))

  const submit = async () => {
    const found = problem(form.values, true)
    if (found) return setError(found)
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
    const found = problem(form.values, false)
    if (found) return setError(found)
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
        <form onSubmit={form.onSubmit(() => void submit())} noValidate>
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
              {...form.getInputProps('serverUrl')}
              required
              autoComplete="url"
            />
            <TextInput
              label="Email"
              type="email"
              {...form.getInputProps('email')}
              required
              autoComplete="username"
              data-autofocus
            />
            <PasswordInput
              label="Password"
              {...form.getInputProps('password')}
              required
              autoComplete="current-password"
            />
            <FormAnswer
              refused={error}
              refusedTitle="Could not sign in"
              done={
                resetSent &&
                `${resetSent} Open the link, choose a new password, then sign in here with it.`
              }
              doneTitle="Check your email"
            />
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
