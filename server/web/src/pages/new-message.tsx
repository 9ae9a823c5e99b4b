import { Select, Stack, TextInput, Title } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useNavigate } from 'react-router'
import { NewThreadBody } from '../../../../src/shared/protocol'
import { api } from '../api'
import { Composer } from '../composer'
import { CannotSend, cannotSend, ResponseTime } from '../parts'
import { keys } from '../queries'
import { usePortal } from '../session'
import { useSchemaForm } from '../use-schema-form'
import { NotAContact } from './not-a-contact'
import type { SentNote } from './sent-note'

/** The subject's rules are the server's; the composer says a missing one in its own words. */
const SubjectLine = NewThreadBody.pick({ subject: true })

export function NewMessage() {
  const portal = usePortal()
  const navigate = useNavigate()
  const [projectId, setProjectId] = useState<string | null>(null)
  const client = useQueryClient()
  const form = useSchemaForm(SubjectLine, { subject: '' })
  const mine = portal.projects.filter((p) => p.customerIds.includes(portal.me?.user.id ?? ''))
  const chosen = projectId ?? (mine.length === 1 ? (mine[0]?.id ?? null) : null)
  const project = mine.find((p) => p.id === chosen)
  const settings = portal.me?.settings
  if (!settings) return null
  const blocked = cannotSend(settings, project)
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">
        New message
      </Title>
      {mine.length > 1 && (
        <Select
          label="Project"
          placeholder="Choose the project"
          data={mine.map((p) => ({ value: p.id, label: p.name }))}
          value={chosen}
          onChange={setProjectId}
          required
        />
      )}
      {!mine.length && <NotAContact />}
      {blocked ? (
        <CannotSend reason={blocked} />
      ) : (
        chosen && (
          <>
            <TextInput
              label="Subject"
              required
              maxLength={SubjectLine.shape.subject.maxLength ?? undefined}
              {...form.getInputProps('subject')}
              placeholder="What is this about?"
            />
            <Composer
              settings={settings}
              projectId={chosen}
              label="Message"
              submitLabel="Send"
              showUrgent
              onSubmit={async ({ body, urgent, attachmentIds }) => {
                if (!form.isValid()) throw new Error('Enter a subject line.')
                const created = await api.createThread({
                  clientId: crypto.randomUUID(),
                  projectId: chosen,
                  subject: form.getValues().subject,
                  body,
                  urgent,
                  attachmentIds,
                })
                await client.invalidateQueries({ queryKey: keys.threads })
                const sent: SentNote = {
                  urgent: created.message.urgent,
                  autoReply: created.autoReply ?? null,
                  isNew: true,
                }
                navigate(`/threads/${created.thread.id}`, { state: { sent } })
              }}
            />
            <ResponseTime settings={settings} />
          </>
        )
      )}
    </Stack>
  )
}
