import { Alert, Button, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import { SignInLinkBody } from '../../../../src/shared/protocol'
import { api } from '../api'
import { EmailField } from '../email-field'
import type { LinkDestination } from '../links'
import { EMAIL_WORDS, useSchemaForm } from '../use-schema-form'
import { ErrorAlert, useSubmission } from '../use-submission'

const EmailOnly = SignInLinkBody.pick({ email: true })

/**
 * "Email me a sign-in link": the server's answer is the same whether or not the address has an
 * account; the link opens where the person was going (a conversation, a file of it).
 */
export function EmailLinkForm({ where, email = '' }: { where: LinkDestination; email?: string }) {
  const form = useSchemaForm(EmailOnly, { email }, { email: EMAIL_WORDS })
  const [sent, setSent] = useState<string | null>(null)
  const { busy, error, run } = useSubmission()
  return (
    <form
      onSubmit={form.onSubmit((values) => {
        run(() => api.signInLink({ ...values, ...where }).then((res) => setSent(res.message)))
      })}
    >
      <Stack>
        <Text size="sm">
          Enter the email your builder has for you. We’ll send a link that signs you in without a
          password{where.threadId ? ' and opens this conversation' : ''}.
        </Text>
        <EmailField {...form.getInputProps('email')} />
        {sent && (
          <Alert color="green" role="status" title="Check your email">
            {sent}
          </Alert>
        )}
        <ErrorAlert error={error} />
        <Button type="submit" loading={busy}>
          Send me a sign-in link
        </Button>
      </Stack>
    </form>
  )
}
