import { Alert, Anchor, Button, Paper, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { Link } from 'react-router'
import { ForgotPasswordBody } from '../../../../src/shared/protocol'
import { api } from '../api'
import { EmailField } from '../email-field'
import { EMAIL_WORDS, useSchemaForm } from '../use-schema-form'
import { ErrorAlert, useSubmission } from '../use-submission'

/**
 * Asks for a reset link. The answer is the server's, the same whether or not the address has an
 * account; a refusal (asked too often) says when to try again.
 */
export function ForgotPassword() {
  const form = useSchemaForm(ForgotPasswordBody, { email: '' }, { email: EMAIL_WORDS })
  const [sent, setSent] = useState<string | null>(null)
  const { busy, error, run } = useSubmission()
  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <form
        onSubmit={form.onSubmit((values) => {
          run(() => api.forgotPassword(values).then((res) => setSent(res.message)))
        })}
      >
        <Stack>
          <Title order={1} size="h2">
            Forgot your password?
          </Title>
          <Text size="sm">
            Enter the email you sign in with. We’ll send you a link to choose a new password; it
            also lifts a hold after too many failed sign-ins.
          </Text>
          <EmailField {...form.getInputProps('email')} />
          {sent && (
            <Alert color="green" role="status" title="Check your email">
              {sent}
            </Alert>
          )}
          <ErrorAlert error={error} />
          <Button type="submit" loading={busy}>
            Send me a link
          </Button>
          <Anchor component={Link} to="/" size="sm">
            Back to sign-in
          </Anchor>
        </Stack>
      </form>
    </Paper>
  )
}
