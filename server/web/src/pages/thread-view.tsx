import { Alert, Loader, Paper, Stack, Text, Title } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { useLocation, useParams } from 'react-router'
import { api } from '../api'
import { Composer } from '../composer'
import { errorText } from '../error-text'
import { CannotSend, cannotSend, ResponseTime } from '../parts'
import { keys, queries } from '../queries'
import { usePortal } from '../session'
import { MessageCard } from './message-card'
import { SentConfirmation, type SentNote } from './sent-note'
import { useReadAsSeen } from './use-read-as-seen'
import { FileLinkNote, useFileLink } from './use-file-link'

export function ThreadView() {
  const { id = '' } = useParams()
  const portal = usePortal()
  const location = useLocation()
  const client = useQueryClient()
  const threadQuery = useQuery(queries.thread(id))
  const pageQuery = useQuery(queries.messages(id))
  const thread = threadQuery.data
  const page = pageQuery.data
  // A failed reload says so, as the first load does, rather than showing what may be gone.
  const failed = threadQuery.error ?? pageQuery.error
  const [sent, setSent] = useState<SentNote | null>(
    (location.state as { sent?: SentNote } | null)?.sent ?? null,
  )
  const scrolledFor = useRef<string | null>(null)

  // Both answers in hand, the messages are on the page: only then can they be seen or scrolled to.
  const shown = thread && page ? page : undefined
  useReadAsSeen(shown)
  const fileLink = useFileLink(shown)

  // A thread opens at the first message this person has not read, else at the newest; once per
  // thread, so a live update does not pull the page away from where they are reading.
  useEffect(() => {
    if (!shown || !portal.me || scrolledFor.current === id) return
    scrolledFor.current = id
    const me = portal.me.user.id
    const firstUnread = shown.messages.find(
      (m) => m.authorId !== me && !shown.reads.some((r) => r.messageId === m.id && r.userId === me),
    )
    const target = sent ? null : (firstUnread ?? shown.messages[shown.messages.length - 1])
    const el = target
      ? document.querySelector<HTMLElement>(`[data-message-id="${target.id}"]`)
      : document.querySelector<HTMLElement>('[data-sent-note]')
    el?.scrollIntoView({ block: firstUnread && !sent ? 'start' : 'end' })
  }, [shown, portal.me, id, sent])

  if (failed)
    return (
      <Alert color="red" role="alert">
        {errorText(failed)}
      </Alert>
    )
  if (!thread || !page || !portal.me) return <Loader aria-label="Loading the conversation" />
  const project = portal.projects.find((p) => p.id === thread.projectId)
  const blocked = cannotSend(portal.me.settings, project)
  return (
    <Stack>
      <Stack gap={0}>
        <Title order={1} size="h2">
          {thread.subject}
        </Title>
        {project && <Text c="dimmed">{project.name}</Text>}
      </Stack>
      <FileLinkNote link={fileLink} />
      {page.messages.map((m) => (
        <MessageCard
          key={m.id}
          message={m}
          author={portal.people.get(m.authorId)}
          project={project}
        />
      ))}
      {sent && <SentConfirmation note={sent} settings={portal.me.settings} />}
      {blocked ? (
        <CannotSend reason={blocked} />
      ) : (
        <Paper withBorder p="md">
          <Composer
            settings={portal.me.settings}
            projectId={thread.projectId}
            label="Your reply"
            submitLabel="Send reply"
            showUrgent
            onSubmit={async ({ body, urgent, attachmentIds }) => {
              const result = await api.reply(thread.id, {
                clientId: crypto.randomUUID(),
                body,
                urgent,
                attachmentIds,
              })
              setSent({
                urgent: result.message.urgent,
                autoReply: result.autoReply ?? null,
                isNew: false,
              })
              await Promise.all(
                [keys.threads, keys.thread(thread.id), keys.messages(thread.id)].map((queryKey) =>
                  client.invalidateQueries({ queryKey }),
                ),
              )
            }}
          />
          <ResponseTime settings={portal.me.settings} />
        </Paper>
      )}
    </Stack>
  )
}
