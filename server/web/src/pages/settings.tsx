import { Stack, Switch, Title } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ChangePasswordForm } from '../../../../src/ui/change-password'
import { api } from '../api'
import { errorText } from '../error-text'
import { ErrorAlert } from '../use-submission'
import { keys } from '../queries'
import { usePortal } from '../session'

export function Settings() {
  const portal = usePortal()
  const client = useQueryClient()
  const [on, setOn] = useState<boolean | null>(portal.me?.preferences.emailOnNewMessage ?? null)
  const [error, setError] = useState<string | null>(null)
  return (
    <Stack maw={560}>
      <Title order={1} size="h2">
        Settings
      </Title>
      <Switch
        label="Email me when a new message arrives"
        description={`Sent to ${portal.me?.user.email ?? 'your email address'}, with a link to the conversation.`}
        checked={on ?? false}
        onChange={(e) => {
          const next = e.currentTarget.checked
          setOn(next)
          api
            .setPreferences({ emailOnNewMessage: next })
            .then(() => client.invalidateQueries({ queryKey: keys.me }))
            .catch((err: unknown) => {
              setOn(!next)
              setError(errorText(err))
            })
        }}
      />
      <ErrorAlert error={error} />
      <Title order={2} size="h4" mt="md">
        Password
      </Title>
      <ChangePasswordForm change={api.changePassword} errorText={errorText} />
    </Stack>
  )
}
