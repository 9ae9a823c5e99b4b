import { Alert, Anchor, Group, List, Text } from '@mantine/core'
import dayjs from 'dayjs'
import type {
  Attachment,
  Project,
  PublicSettings,
  CompanySettings,
} from '../../../src/shared/protocol'
import { formatBytes } from '../../../src/shared/files'
import { downloadUrl } from './api'

export function Attachments({ items }: { items: Attachment[] }) {
  if (!items.length) return null
  return (
    <List size="sm" spacing={4} aria-label="Attached files">
      {items.map((a) => (
        <List.Item key={a.id}>
          <Anchor href={downloadUrl(a.id)} download={a.name}>
            {a.name}
          </Anchor>{' '}
          <Text span c="dimmed" size="sm">
            ({formatBytes(a.size)})
          </Text>
        </List.Item>
      ))}
    </List>
  )
}

export const when = (iso: string) => dayjs(iso).format('MMM D, YYYY h:mm A')

/**
 * Why this customer cannot send here, in the words of the help page's "Customer can't send
 * messages" checklist; null when they can.
 */
export function cannotSend(
  settings: PublicSettings | CompanySettings | undefined,
  project: Project | undefined,
): string | null {
  if (!settings) return null
  if (!settings.messagesEnabled)
    return 'Messages are turned off for this portal right now. Please call or email your builder; they can turn Messages on in their company settings.'
  if (project && !project.portalOpen) {
    return `Messages for ${project.name} are not open while the project is in the ${project.stage} stage. Please call your builder directly.`
  }
  return null
}

export function CannotSend({ reason }: { reason: string }) {
  return (
    <Alert color="yellow" title="You can’t send messages here" role="status">
      {reason}
    </Alert>
  )
}

export function ResponseTime({
  settings,
}: {
  settings: PublicSettings | CompanySettings | undefined
}) {
  if (!settings?.expectedResponseTime) return null
  return (
    <Group gap={6}>
      <Text size="sm" c="dimmed">
        {settings.expectedResponseTime} For urgent matters, please call us directly.
      </Text>
    </Group>
  )
}
