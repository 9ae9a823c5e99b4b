import { z } from 'zod'

/**
 * What each kind of outbox entry carries (the outbox table's payload column, as JSON): parsed on
 * every read, so the sender works on checked values.
 */
const MessagePayload = z.object({
  threadId: z.string(),
  projectId: z.string(),
  clientId: z.string(),
  body: z.string(),
  internal: z.boolean(),
  urgent: z.boolean(),
  stagedFileIds: z.array(z.string()),
  /** The person chose to send a held reply anyway. */
  sendAnyway: z.boolean().optional(),
})

// Defaults as the sender always had them, for an entry written without them.
const NewThreadPayload = MessagePayload.extend({
  subject: z.string().default(''),
  participantIds: z.array(z.string()).default([]),
})

const TriageFields = z.object({
  status: z.string().optional(),
  assigneeId: z.string().nullable().optional(),
  snoozedUntil: z.string().nullable().optional(),
})

const TriagePayload = z.object({
  threadId: z.string(),
  patch: TriageFields,
  /** The values before the change, restored when the entry is discarded. */
  before: TriageFields,
})

const ParticipantPayload = z.object({ threadId: z.string(), userId: z.string() })

export const QueuedWrite = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('new-thread'), payload: NewThreadPayload }),
  z.object({ kind: z.literal('reply'), payload: MessagePayload }),
  z.object({ kind: z.literal('read'), payload: z.object({ messageIds: z.array(z.string()) }) }),
  z.object({ kind: z.literal('triage'), payload: TriagePayload }),
  z.object({ kind: z.literal('add-participant'), payload: ParticipantPayload }),
  z.object({ kind: z.literal('remove-participant'), payload: ParticipantPayload }),
])
export type QueuedWrite = z.infer<typeof QueuedWrite>
export type MessagePayload = z.infer<typeof MessagePayload>
export type TriagePayload = z.infer<typeof TriagePayload>
