import { Alert, Button, Group, Stack, Text } from '@mantine/core'
import { Link } from 'react-router'
import { callUs } from '../../../../src/shared/contact'
import { CannotSend } from '../parts'
import { usePortal } from '../session'

/**
 * Why someone who is no contact on any project cannot start a conversation. A guest (an
 * architect, a designer) or a trade invited into conversations hears where they can write.
 */
export function NotAContact() {
  const portal = usePortal()
  const company = portal.me?.company.name ?? 'your builder'
  const [only] = portal.threads
  if (!only)
    return (
      <CannotSend reason="You are not a contact on any project yet, so you cannot start a conversation. Please ask your builder to add you to your project." />
    )
  return (
    <Alert
      color="yellow"
      title="New conversations are started by the project’s homeowners and team"
      role="status"
    >
      <Stack gap="xs">
        <Text size="sm">
          {company} invited you to{' '}
          {portal.threads.length === 1
            ? `the conversation “${only.subject}”`
            : `${portal.threads.length} conversations`}
          , so you can read and reply there. New conversations about a project are started by its
          homeowners and the {company} team.
        </Text>
        <Text size="sm">
          To bring up something new, write in your conversation, or please{' '}
          {callUs(portal.me?.settings)}.
        </Text>
        <Group>
          <Button
            component={Link}
            to={portal.threads.length === 1 ? `/threads/${only.id}` : '/threads'}
            variant="default"
            size="xs"
          >
            {portal.threads.length === 1 ? 'Open your conversation' : 'Your conversations'}
          </Button>
        </Group>
      </Stack>
    </Alert>
  )
}
