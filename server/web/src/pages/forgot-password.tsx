import { Anchor, Paper, Stack, Title } from '@mantine/core'
import { Link } from 'react-router'
import { api } from '../api'
import { EmailLinkRequest } from './email-link-form'

/** Asks for a reset link by email. */
export function ForgotPassword() {
  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <Stack>
        <Title order={1} size="h2">
          Forgot your password?
        </Title>
        <EmailLinkRequest
          intro="Enter the email you sign in with. We’ll send you a link to choose a new password; it also lifts a hold after too many failed sign-ins."
          submitLabel="Send me a link"
          send={(email) => api.forgotPassword({ email })}
        />
        <Anchor component={Link} to="/" size="sm">
          Back to sign-in
        </Anchor>
      </Stack>
    </Paper>
  )
}
