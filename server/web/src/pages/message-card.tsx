import { Badge, Card, Group, Text } from '@mantine/core'
import type { Message, Person, Project } from '../../../../src/shared/protocol'
import { MessageText } from '../../../../src/ui/message-text'
import { Attachments, when } from '../parts'

/**
 * Beside a sender's name: the team, a subcontractor, or a guest (someone invited into the
 * conversation who is not one of the project's homeowners, such as the architect); nothing for
 * the project's own customer contacts.
 */
function whoIs(author: Person, project: Project | undefined): string | null {
  if (author.role === 'subcontractor') return 'subcontractor'
  if (author.role !== 'customer') return 'team'
  return project && !project.customerIds.includes(author.id) ? 'guest' : null
}

/** One message of a thread: who wrote it (and as whom), its marks, its text and its files. */
export function MessageCard({
  message: m,
  author,
  project,
}: {
  message: Message
  author: Person | undefined
  project: Project | undefined
}) {
  return (
    <Card
      withBorder
      data-message-id={m.id}
      component="article"
      aria-label={`Message from ${author?.name ?? 'someone'}`}
    >
      <Group justify="space-between" mb={4} wrap="wrap" gap="xs">
        <Text fw={600}>
          {author?.name ?? 'Someone'}
          {author && whoIs(author, project) && (
            <Text span c="dimmed" fw={400} size="sm">
              {' '}
              ({whoIs(author, project)})
            </Text>
          )}
        </Text>
        <Group gap="xs">
          {m.internal && (
            // Only staff ever receive internal notes; one read in the browser says so.
            <Badge color="yellow" variant="light">
              Internal note (staff only)
            </Badge>
          )}
          {m.urgent && (
            <Badge color="red" variant="light">
              Urgent
            </Badge>
          )}
          <Text size="sm" c="dimmed">
            <time dateTime={m.createdAt}>{when(m.createdAt)}</time>
          </Text>
        </Group>
      </Group>
      <MessageText body={m.body} />
      <Attachments items={m.attachments} />
    </Card>
  )
}
