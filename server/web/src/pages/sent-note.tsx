import { Alert, Stack, Text } from '@mantine/core'
import type { CompanySettings, PublicSettings } from '../../../../src/shared/protocol'
import { callUs } from '../../../../src/shared/contact'

/** What the thread page says right after the customer sent something there. */
export interface SentNote {
  urgent: boolean
  autoReply: string | null
  isNew: boolean
}

/** After sending: it arrived, it is marked urgent (with the call-us advice), when to expect an answer, and the auto-reply. */
export function SentConfirmation({
  note,
  settings,
}: {
  note: SentNote
  settings: PublicSettings | CompanySettings
}) {
  return (
    <Alert
      color="green"
      role="status"
      title={note.isNew ? 'Message sent' : 'Reply sent'}
      data-sent-note
    >
      <Stack gap={4}>
        <Text size="sm">
          {note.urgent
            ? `It is marked urgent, so the team is alerted. For an emergency, please ${callUs(settings)} as well.`
            : 'The team has it.'}{' '}
          {settings.expectedResponseTime}
        </Text>
        {note.autoReply && (
          <Text size="sm">
            <Text span fw={600}>
              Automatic reply:
            </Text>{' '}
            {note.autoReply}
          </Text>
        )}
      </Stack>
    </Alert>
  )
}
