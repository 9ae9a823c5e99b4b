import { Alert, Anchor, Group, Image, List, Stack, Text } from '@mantine/core'
import type {
  Attachment,
  Project,
  PublicSettings,
  CompanySettings,
} from '../../../src/shared/protocol'
import { callUs } from '../../../src/shared/contact'
import { formatBytes } from '../../../src/shared/files'
import { whyCannotSend } from '../../../src/shared/may-send'
import { downloadUrl } from './api'

/** Pictures a browser shows inline; the rest are files to download. */
const isPicture = (a: Attachment) => /^image\/(png|jpeg|gif|webp)$/.test(a.contentType)

/** Pictures as thumbnails (a click opens the full picture), other files as a list to download. */
export function Attachments({ items }: { items: Attachment[] }) {
  if (!items.length) return null
  const pictures = items.filter(isPicture)
  const files = items.filter((a) => !isPicture(a))
  return (
    <Stack gap="xs" mt="xs">
      {pictures.length > 0 && (
        <Group gap="xs" aria-label="Attached pictures" role="group">
          {pictures.map((a) => (
            <Anchor
              key={a.id}
              href={downloadUrl(a.id)}
              target="_blank"
              rel="noopener"
              aria-label={`${a.name} (${formatBytes(a.size)}): open the full picture`}
            >
              <Image
                src={downloadUrl(a.id)}
                alt={a.name}
                h={120}
                w={160}
                fit="cover"
                radius="sm"
                loading="lazy"
              />
            </Anchor>
          ))}
        </Group>
      )}
      {files.length > 0 && (
        <List size="sm" spacing={4} aria-label="Attached files">
          {files.map((a) => (
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
      )}
    </Stack>
  )
}

/** A project's stage as a homeowner says it. */
const stageWords: Record<Project['stage'], string> = {
  lead: 'planning',
  'pre-construction': 'pre-construction',
  construction: 'construction',
  warranty: 'warranty',
  closed: 'closed',
}

// Dates in the reader's own language and clock (12- or 24-hour, as their browser is set).
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })
const dayMonth = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
const dayMonthYear = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

/** A message's date and time in full. */
export const when = (iso: string) => fullDate.format(new Date(iso))

/** A list row's date, short enough for a phone: the time today, the day this year, else the date. */
export function shortWhen(iso: string, now = new Date()): string {
  const at = new Date(iso)
  if (at.toDateString() === now.toDateString()) return timeOnly.format(at)
  if (at.getFullYear() === now.getFullYear()) return dayMonth.format(at)
  return dayMonthYear.format(at)
}

/**
 * Why this customer cannot send here, in the words of the help page's "Customer can't send
 * messages" checklist; null when they can. The checklist is the server's (src/shared/may-send.ts);
 * the words are the homeowner's.
 */
export function cannotSend(
  settings: PublicSettings | CompanySettings | undefined,
  project: Project | undefined,
): string | null {
  if (!settings) return null
  const reason = whyCannotSend({
    role: 'customer',
    internal: false,
    messagesEnabled: settings.messagesEnabled,
    // Before a project is chosen only the company-wide pause can be said.
    portalOpen: project?.portalOpen ?? true,
  })
  switch (reason) {
    case 'MESSAGES_DISABLED':
      return `Your builder has paused messages in the portal, so you can’t send one right now. You can still read your conversations. To reach the team, please ${callUs(settings)}.`
    case 'PROJECT_STAGE_CLOSED':
      return project
        ? `Messages for ${project.name} open once the project is under way (it is in the ${stageWords[project.stage]} stage now). Until then, please ${callUs(settings)}.`
        : null
    // A customer writes no internal notes, and the subcontractor rule is the server's alone.
    case 'INTERNAL_NOTE_STAFF_ONLY':
    case 'SUBCONTRACTORS_NOT_ALLOWED':
    case null:
      return null
  }
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
        {settings.expectedResponseTime} For urgent matters, please {callUs(settings)}.
      </Text>
    </Group>
  )
}
