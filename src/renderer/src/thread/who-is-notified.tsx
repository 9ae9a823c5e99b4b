import { Alert, Badge, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import type { NotifiedChannel, NotifiedPerson } from '../../../shared/protocol'
import { errorMessage } from '../engine'
import { engineQuery } from '../data/queries'

const channelLabel: Record<NotifiedChannel['channel'], string> = {
  desktop: 'Desktop',
  email: 'Email',
  portal: 'Portal',
}
const asLabel: Record<NotifiedPerson['as'][number], string> = {
  participant: 'in the conversation',
  team: 'on the project’s team',
  assignee: 'assigned',
}
const sections: { when: NotifiedPerson['when']; title: string }[] = [
  { when: 'customer-message', title: 'When a customer writes' },
  { when: 'staff-message', title: 'When the team replies' },
]

function Channel({ channel }: { channel: NotifiedChannel }) {
  const label = channelLabel[channel.channel]
  return (
    <Group gap={6} wrap="nowrap" align="baseline" data-channel={channel.channel}>
      <Badge
        size="xs"
        variant={channel.on ? 'filled' : 'outline'}
        color={channel.on ? 'teal' : 'gray'}
        // A long reason beside it must not squeeze the badge's own words.
        style={{ flex: 'none' }}
      >
        {label}: {channel.on ? 'on' : 'off'}
      </Badge>
      {channel.reason && (
        <Text size="xs" c="dimmed">
          {channel.reason}
        </Text>
      )}
    </Group>
  )
}

/**
 * "Who is notified" (the help page's "Staff not receiving notifications"): everyone a new message
 * in the thread reaches, each channel, and why not, as the server works it out from everyone's
 * settings. Refreshed when the thread's participants change (data/invalidation.ts).
 */
export function WhoIsNotified({ threadId }: { threadId: string }) {
  const query = useQuery(engineQuery('whoIsNotified', { threadId }))
  if (query.isPending)
    return (
      <Group gap={6}>
        <Loader size="xs" />
        <Text size="sm">Working out who is notified…</Text>
      </Group>
    )
  if (query.isError)
    return (
      <Alert color="orange" py={6} title="Who is notified is not available">
        {errorMessage(query.error)}
      </Alert>
    )
  const { people, internalNote } = query.data
  return (
    <Stack gap="xs" data-testid="who-is-notified">
      <Title order={5}>Who is notified</Title>
      {sections.map(({ when, title }) => {
        const rows = people.filter((p) => p.when === when)
        return (
          <Stack key={when} gap={6}>
            <Text size="sm" fw={600}>
              {title}
            </Text>
            {rows.length === 0 && (
              <Text size="sm" c="dimmed">
                Nobody: no one in this conversation would hear of it.
              </Text>
            )}
            <Stack gap={8} role="list" aria-label={title}>
              {rows.map((person) => (
                <Stack key={person.id} gap={2} role="listitem" aria-label={person.name}>
                  <Text size="sm">
                    {person.name}{' '}
                    <Text span size="xs" c="dimmed">
                      ({person.as.map((a) => asLabel[a]).join(', ')})
                    </Text>
                  </Text>
                  {person.channels.map((channel) => (
                    <Channel key={channel.channel} channel={channel} />
                  ))}
                </Stack>
              ))}
            </Stack>
          </Stack>
        )
      })}
      <Text size="xs" c="dimmed">
        {internalNote}
      </Text>
    </Stack>
  )
}
