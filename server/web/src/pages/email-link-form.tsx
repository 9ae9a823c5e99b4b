import { Alert, Button, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import { ForgotPasswordBody } from '../../../../src/shared/protocol'
import { api } from '../api'
import { EmailField } from '../email-field'
import type { LinkDestination } from '../links'
import { EMAIL_WORDS, useSchemaForm } from '../use-schema-form'
import { ErrorAlert, useSubmission } from '../use-submission'

/**
 * Asks for a link by email (a reset link, a sign-in link). The answer is the server's, the same
 * whether or not the address has an account; a refusal (asked too often) says when to try again.
 */
export function EmailLinkRequest(props: {
  intro: string
  submitLabel: string
  send: (email: string) => Promise<{ message: string }>
  email?: string
}) {
  const form = useSchemaForm(
    ForgotPasswordBody,
    { email: props.email ?? '' },
    { email: EMAIL_WORDS },
  )
  const [sent, setSent] = useState<string | null>(null)
  const { busy, error, run } = useSubmission()
  return (
    <form
      onSubmit={form.onSubmit(({ email }) => {
        run(() => props.send(email).then((res) => setSent(res.message)))
      })}
    >
      <Stack>
        <Text size="sm">{props.intro}</Text>
        <EmailField {...form.getInputProps('email')} />
        {sent && (
          <Alert color="green" role="status" title="Check your email">
            {sent}
          </Alert>
        )}
        <ErrorAlert error={error} />
        <Button type="submit" loading={busy}>
          {props.submitLabel}
        </Button>
      </Stack>
    </form>
  )
}

/** "Email me a sign-in link": the link opens where the person was going (a conversation, a file of it). */
export function EmailLinkForm({ where, email }: { where: LinkDestination; email?: string }) {
  return (
    <EmailLinkRequest
      intro={`Enter the email your builder has for you. We’ll send a link that signs you in without a password${where.threadId ? ' and opens this conversation' : ''}.`}
      submitLabel="Send me a sign-in link"
      send={(address) => api.signInLink({ email: address, ...where })}
      email={email}
    />
  )
}
