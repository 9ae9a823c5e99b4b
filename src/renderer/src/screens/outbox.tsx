import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useForm } from '@mantine/form'
import { useEffect, useRef, useState } from 'react'
import type { OutboxEntry } from '../../../shared/ipc'
import { useOutbox } from '../state/activity'
import { useConnection } from '../state/connection'
import { useRoute } from '../state/route'
import { engine, errorMessage } from '../engine'
import { fullTime } from '../format'
import { countBelowBox, useBodyLimit } from '../composer/body-limit'
import { outboxLook } from '../outbox-state'

/**
 * Everything written here that the server does not have yet: pending (goes by itself when the
 * connection is back), failed with the server's reason (retry, edit, discard), held because
 * customers wrote after the reply was written (send anyway, edit).
 */
export function OutboxScreen() {
  const outbox = useOutbox()
  const connection = useConnection()
  const { openThread } = useRoute()
  const [editing, setEditing] = useState<OutboxEntry | null>(null)

  const act = async (what: string, call: () => Promise<unknown>) => {
    try {
      await call()
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not ${what}`, message: errorMessage(err) })
    }
  }

  return (
    <Stack p="lg" gap="md" style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
      <Group justify="space-between">
        <Title order={1} size="h3">
          Outbox
        </Title>
        <Button variant="default" onClick={() => void act('sync', () => engine.syncNow({}))}>
          Send now
        </Button>
      </Group>
      {connection.state !== 'online' && outbox.length > 0 && (
        <Alert color="yellow">
          Not connected to the portal server. What is here goes out by itself when the connection is
          back.
        </Alert>
      )}
      {outbox.length === 0 && <Text c="dimmed">Everything you wrote has reached the server.</Text>}
      <Stack gap="xs" role="list" aria-label="Outbox">
        {outbox.map((entry) => {
          const look = outboxLook(entry, connection.state)
          return (
            <Paper key={entry.id} withBorder p="sm" role="listitem" data-state={entry.state}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Group gap={6}>
                    <Badge color={look.color}>{look.label}</Badge>
                    <Text fw={600} truncate>
                      {entry.summary}
                    </Text>
                  </Group>
                  <Text size="xs" c="dimmed">
                    Written {fullTime(entry.createdAt)}
                    {entry.attempts > 0 &&
                      ` · ${entry.attempts} ${entry.attempts === 1 ? 'attempt' : 'attempts'}`}
                    {/* Offline nothing goes at that time: it goes when the connection is back. */}
                    {entry.nextAttemptAt &&
                      entry.state === 'pending' &&
                      connection.state === 'online' &&
                      ` · next try ${fullTime(entry.nextAttemptAt)}`}
                  </Text>
                  {entry.error && (
                    <Text size="sm" c={entry.state === 'failed' ? 'red' : 'orange'}>
                      {entry.error}
                    </Text>
                  )}
                </Stack>
                <Group gap={4} wrap="nowrap">
                  {entry.threadId && (
                    <Button size="xs" variant="subtle" onClick={() => openThread(entry.threadId)}>
                      View
                    </Button>
                  )}
                  {entry.state === 'held' && (
                    <Button
                      size="xs"
                      onClick={() =>
                        void act('send', () => engine.sendHeldAnyway({ id: entry.id }))
                      }
                    >
                      Send anyway
                    </Button>
                  )}
                  {entry.state === 'failed' && (
                    <Button
                      size="xs"
                      onClick={() => void act('retry', () => engine.retryOutbox({ id: entry.id }))}
                    >
                      Retry
                    </Button>
                  )}
                  {(entry.state === 'failed' || entry.state === 'held') &&
                    (entry.kind === 'reply' || entry.kind === 'new-thread') && (
                      <Button size="xs" variant="default" onClick={() => setEditing(entry)}>
                        Edit
                      </Button>
                    )}
                  {entry.state !== 'sending' && (
                    <Button
                      size="xs"
                      variant="default"
                      color="red"
                      onClick={() =>
                        void act('discard', () => engine.discardOutbox({ id: entry.id }))
                      }
                    >
                      Discard
                    </Button>
                  )}
                </Group>
              </Group>
            </Paper>
          )
        })}
      </Stack>
      <EditModal entry={editing} onClose={() => setEditing(null)} />
    </Stack>
  )
}

/**
 * Edit a reply the outbox holds before it goes: the text it was written with, checked against
 * the company's limit as the reply box checks it, saved and sent in one step.
 */
function EditModal({ entry, onClose }: { entry: OutboxEntry | null; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null)
  const { openThread } = useRoute()
  const form = useForm<{ body: string }>({
    initialValues: { body: '' },
    validate: {
      body: (body) =>
        body.trim() ? null : 'Type the message to send, or discard it from the outbox.',
    },
    onValuesChange: () => setError(null),
  })
  const limit = useBodyLimit(form.values.body)
  // @mantine/form's setters change identity with each render; the load runs once per entry.
  const latestForm = useRef(form)
  latestForm.current = form
  // The text to edit is the pending message's: read it from its thread.
  useEffect(() => {
    const { setValues, resetDirty } = latestForm.current
    setValues({ body: '' })
    setError(null)
    if (!entry?.threadId) return
    let live = true
    void engine.openThread({ threadId: entry.threadId, limit: 200 }).then((d) => {
      const message = d.messages.find((m) => m.outboxId === entry.id)
      if (!live || !message) return
      setValues({ body: message.body })
      resetDirty({ body: message.body })
    })
    return () => {
      live = false
    }
  }, [entry])
  const save = async ({ body }: { body: string }) => {
    if (!entry || limit.tooLong) return
    try {
      await engine.editOutbox({ id: entry.id, body })
      onClose()
    } catch (err) {
      setError(errorMessage(err))
    }
  }
  return (
    <Modal opened={!!entry} onClose={onClose} title="Edit before sending">
      <form onSubmit={form.onSubmit((values) => void save(values))}>
        <Stack>
          <Textarea
            label="Message"
            autosize
            minRows={4}
            {...form.getInputProps('body')}
            description={limit.count}
            error={form.errors.body ?? limit.tooLong}
            inputWrapperOrder={[...countBelowBox]}
          />
          {error && (
            <Text c="red" size="sm" role="alert">
              {error}
            </Text>
          )}
          <Group justify="space-between">
            {entry?.threadId && (
              <Button variant="subtle" onClick={() => openThread(entry.threadId)}>
                Read the conversation first
              </Button>
            )}
            <Button type="submit" disabled={!form.values.body.trim() || limit.tooLong !== null}>
              Save and send
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
