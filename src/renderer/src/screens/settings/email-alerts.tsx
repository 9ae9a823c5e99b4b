// Settings → Email alerts: the person's own email alerts as the server keeps them (a form over
// the shared EmailAlerts schema, saved only when the server took it), and whether the desktop
// alerts can show on this computer.
import { Alert, Button, Group, Loader, Stack, Switch, Text } from '@mantine/core'
import { schemaResolver, useForm } from '@mantine/form'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { EmailAlerts } from '../../../../shared/protocol'
import { engineQuery } from '../../data/queries'
import { engine } from '../../engine'
import { fullTime } from '../../format'
import { useRun } from '../admin-people/use-run'
import { saved, Section } from '../settings-parts'

const switches: { key: keyof EmailAlerts; label: string; description: string }[] = [
  {
    key: 'emailOnNewMessage',
    label: 'Email me about new customer messages',
    description: 'A mail for each customer message in a conversation you follow.',
  },
  {
    key: 'emailUrgent',
    label: 'Email me about urgent messages',
    description: 'A mail at once when a customer marks a message urgent.',
  },
  {
    key: 'emailDigest',
    label: 'Email me the digest',
    description: 'A summary of portal activity on your company’s schedule.',
  },
]

const checkAlerts = schemaResolver(EmailAlerts, { sync: true })

/** The server's answer when it did not answer: what happened and what to do, with a retry. */
export function LoadProblem({
  title,
  problem,
  retry,
}: {
  title: string
  problem: string
  retry: () => void
}) {
  return (
    <Alert color="red" title={title}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{problem}</Text>
        <Button size="compact-sm" variant="light" onClick={retry}>
          Try again
        </Button>
      </Stack>
    </Alert>
  )
}

export function EmailAlertSettings() {
  const client = useQueryClient()
  const query = engineQuery('getEmailAlerts', {})
  const loading = useQuery({ ...query, retry: false })
  const form = useForm<EmailAlerts>({
    initialValues: { emailOnNewMessage: false, emailUrgent: false, emailDigest: false },
    validate: checkAlerts,
  })
  const { problem, busy, run } = useRun()
  const server = loading.data

  // The form starts from the server's values, and from them again after each save or reload.
  useEffect(() => {
    if (!server) return
    form.setValues(server)
    form.resetDirty(server)
    // Only new server values reset the form (the form object itself is the same every render).
  }, [server])

  const submit = (values: EmailAlerts) =>
    run(async () => {
      const next = await engine.setEmailAlerts(values)
      client.setQueryData(query.queryKey, next)
      saved('The portal server has your email alerts.', 'Email alerts saved')
    })

  return (
    <Section
      title="Email alerts"
      description="Mail the portal server sends you. These are kept on the server, so they apply wherever you sign in."
    >
      {loading.error ? (
        <LoadProblem
          title="Could not load your email alerts"
          problem={(loading.error as Error).message}
          retry={() => void loading.refetch()}
        />
      ) : !server ? (
        <Loader size="sm" aria-label="Loading your email alerts" />
      ) : (
        <form onSubmit={form.onSubmit((values) => void submit(values))}>
          <Stack gap="sm">
            {switches.map(({ key, label, description }) => (
              <Switch
                key={key}
                label={label}
                aria-label={label}
                description={description}
                {...form.getInputProps(key, { type: 'checkbox' })}
              />
            ))}
            {problem && (
              <Alert color="red" title="Email alerts not saved" role="alert">
                {problem}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={busy} disabled={!form.isDirty()}>
                Save email alerts
              </Button>
              {form.isDirty() && (
                <Text size="sm" c="dimmed">
                  Not saved yet.
                </Text>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Section>
  )
}

/** Whether the desktop alerts can show here: the system's service and the tray's pause. */
export function DesktopAlertStatus() {
  // The pause ends on its own after an hour: asked again now and then, so the words stay true.
  const state = useQuery({ ...engineQuery('desktopAlertState', {}), refetchInterval: 30_000 })
  if (!state.data) return null
  const { os, pausedUntil } = state.data
  const system =
    os === 'supported'
      ? 'This computer can show notifications from Portal Inbox. If none appear, check that Portal Inbox is allowed in the system’s notification settings (and that Do Not Disturb or Focus is off).'
      : os === 'unsupported'
        ? 'This computer has no notification service Portal Inbox can use, so desktop alerts cannot show here. The unread badge still counts new messages.'
        : 'Portal Inbox runs here without the desktop app (in a browser), so the system was not asked whether it allows notifications, and none are shown.'
  return (
    <Alert
      color={os === 'supported' && !pausedUntil ? 'blue' : 'yellow'}
      title="On this computer"
      data-testid="desktop-alert-state"
      data-os={os}
    >
      <Stack gap={4}>
        <Text size="sm">{system}</Text>
        <Text size="sm">
          {pausedUntil
            ? `Paused from the tray until ${fullTime(pausedUntil)}; nothing shows until then.`
            : os === 'unknown'
              ? 'There is no tray here, so nothing is paused.'
              : 'Not paused from the tray.'}
        </Text>
      </Stack>
    </Alert>
  )
}
