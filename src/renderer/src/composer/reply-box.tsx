import { Button, Group, Paper, Stack, Switch, Text, Textarea } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react'
import { engine, errorMessage } from '../engine'
import { useBodyLimit } from './body-limit'
import { AttachFilesButton, messageBoxProps, StagedFileList, useStagedFiles } from './staged-files'
import { useDraft } from './use-draft'

export interface ReplyBoxHandle {
  focus(): void
  addFiles(files: File[]): void
}

/**
 * The reply box under a thread: text, an internal-note switch, files (picked, pasted, or dropped
 * anywhere over the thread), a draft kept across restarts, Ctrl/Cmd+Enter to send. Sending only
 * queues the reply in the engine's outbox, so it works offline and shows as pending until the
 * server has it.
 */
export function ReplyBox({
  threadId,
  urgent,
  ref,
}: {
  threadId: string
  /** The thread is marked urgent: a reply to the customer clears the mark, and the box says so. */
  urgent: boolean
  ref?: Ref<ReplyBoxHandle>
}) {
  const [draft, setDraft, clearDraft, draftProblem] = useDraft(threadId)
  const staged = useStagedFiles()
  const [sending, setSending] = useState(false)
  const box = useRef<HTMLTextAreaElement>(null)

  useImperativeHandle(ref, () => ({
    focus: () => box.current?.focus(),
    addFiles: (files) => void staged.add(files),
  }))

  // Leaving a thread with files staged and unsent: the engine can forget them.
  const stagedIds = useRef<string[]>([])
  stagedIds.current = staged.files.map((f) => f.id)
  useEffect(
    () => () => {
      for (const id of stagedIds.current) void engine.unstage({ id }).catch(() => undefined)
    },
    [],
  )

  const limit = useBodyLimit(draft.body)

  const send = async () => {
    const body = draft.body.trim()
    if (!body && !staged.files.length) return
    // Over the company's limit nothing is queued; the box says why and keeps the text.
    if (limit.tooLong) return box.current?.focus()
    setSending(true)
    try {
      await engine.reply({
        threadId,
        body,
        internal: draft.internal,
        stagedFileIds: staged.files.map((f) => f.id),
      })
      stagedIds.current = []
      staged.clear()
      clearDraft()
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not sent', message: errorMessage(err) })
    } finally {
      setSending(false)
    }
  }

  return (
    <Paper
      withBorder
      radius={0}
      p="sm"
      component="section"
      aria-label="Reply"
      bg={draft.internal ? 'var(--mantine-color-yellow-light)' : undefined}
      style={{ borderLeft: 0, borderRight: 0, borderBottom: 0 }}
    >
      <Stack gap={6}>
        <Textarea
          ref={box}
          label={draft.internal ? 'Internal note (only staff see it)' : 'Reply'}
          placeholder="Write a reply… (Ctrl+Enter sends)"
          autosize
          minRows={2}
          maxRows={10}
          error={[limit.tooLong, draftProblem].filter(Boolean).join(' ') || null}
          {...messageBoxProps({ draft, setDraft, limit, send, staged })}
        />
        <StagedFileList staged={staged} />
        {/* The server clears Urgent when staff answer the customer (an answered customer no
        longer waits on an emergency); keeping it would make every reply a second chore. Said
        before sending, so the badge never vanishes without a word; a note leaves it. */}
        {urgent && !draft.internal && (
          <Text size="xs" c="dimmed" data-testid="urgent-clears">
            Sending this reply clears the thread’s Urgent mark. To keep it, add an internal note
            instead.
          </Text>
        )}
        <Group justify="space-between">
          <Group gap="sm">
            <Switch
              label="Internal note"
              checked={draft.internal}
              onChange={(e) => setDraft({ internal: e.currentTarget.checked })}
            />
            <AttachFilesButton staged={staged} />
            <Text size="xs" c="dimmed">
              or drop them on the conversation
            </Text>
          </Group>
          <Button
            onClick={() => void send()}
            loading={sending}
            disabled={
              (!draft.body.trim() && !staged.files.length) ||
              staged.staging > 0 ||
              limit.tooLong !== null
            }
          >
            {draft.internal ? 'Add note' : 'Send'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  )
}
