import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { HeldReply } from '../../../shared/protocol'
import { engineKey, engineQuery } from '../data/queries'
import { engine, errorMessage } from '../engine'
import { fullTime } from '../format'
import { useConnection } from '../state/connection'
import { usePeople } from '../state/directory'
import { useRoute } from '../state/route'

/** Mail arrives without a push: the list is asked for again while the screen is open. */
const REFRESH_MS = 30_000

/**
 * Replies by email the server held because their sender failed its checks (DMARC), though the
 * reply address was right: someone may be pretending to be the customer. Staff read what it
 * says and who it claims to be from, then post it after all (every rule of a reply still
 * applies) or discard it. Nothing shows where replies by email are off or none are held.
 */
export function HeldReplies() {
  const connection = useConnection()
  const online = connection.state === 'online'
  const held = useQuery({
    ...engineQuery('heldReplies', {}),
    enabled: online,
    refetchInterval: REFRESH_MS,
    // Off on this server (404) or not for this person: nothing to show, nothing to retry.
    retry: false,
  })
  if (!online || !held.data?.length) return null
  return (
    <Stack gap="xs" mt="md">
      <Title order={2} size="h4">
        Replies by email held for review
      </Title>
      <Text size="sm" c="dimmed">
        These replies came to the right reply address, but the sender’s mail failed the checks that
        show it is really theirs. Post one only if you are sure who wrote it.
      </Text>
      <Stack gap="xs" role="list" aria-label="Held replies">
        {held.data.map((reply) => (
          <HeldReplyItem key={reply.id} reply={reply} />
        ))}
      </Stack>
    </Stack>
  )
}

function HeldReplyItem({ reply }: { reply: HeldReply }) {
  const client = useQueryClient()
  const { peopleById } = usePeople()
  const { openThread } = useRoute()
  const person = reply.personId ? peopleById.get(reply.personId) : undefined
  const act = async (what: string, call: () => Promise<object>) => {
    try {
      const result: { outcome?: string; reason?: string | null } = await call()
      if (result.outcome === 'refused')
        notifications.show({
          color: 'orange',
          title: 'Not posted',
          message: `${result.reason ?? 'A rule refused it.'} ${person?.name ?? 'The sender'} was told by mail.`,
        })
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not ${what}`, message: errorMessage(err) })
    } finally {
      await client.invalidateQueries({ queryKey: engineKey('heldReplies') })
    }
  }
  return (
    <Paper withBorder p="sm" role="listitem" aria-label={`Held reply from ${reply.from}`}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Text fw={600} truncate>
              {reply.subject || '(no subject)'}
            </Text>
            <Text size="xs" c="dimmed">
              From {reply.from}
              {person ? ` (the address of ${person.name})` : ''} · {fullTime(reply.receivedAt)}
            </Text>
          </Stack>
          <Group gap={4} wrap="nowrap">
            <Button size="xs" variant="subtle" onClick={() => openThread(reply.threadId)}>
              View conversation
            </Button>
            <Button
              size="xs"
              onClick={() => void act('post', () => engine.postHeldReply({ heldId: reply.id }))}
            >
              Post it
            </Button>
            <Button
              size="xs"
              variant="default"
              color="red"
              onClick={() =>
                void act('discard', () => engine.discardHeldReply({ heldId: reply.id }))
              }
            >
              Discard
            </Button>
          </Group>
        </Group>
        <Alert color="orange" p="xs">
          {reply.reason}
        </Alert>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {reply.text || '(no words of its own)'}
        </Text>
        {reply.files.length > 0 && (
          <Text size="xs" c="dimmed">
            Files: {reply.files.join(', ')}
          </Text>
        )}
      </Stack>
    </Paper>
  )
}
