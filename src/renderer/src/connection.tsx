import { Alert, Badge, Button, Group, Progress, Text, Tooltip } from '@mantine/core'
import { useState } from 'react'
import type { Connection } from '../../shared/ipc'
import { useOutbox } from './state/activity'
import { useConnection } from './state/connection'
import { useRoute } from './state/route'
import { engine, useEngineEvent } from './engine'
import { shortTime } from './format'
import { outboxWaiting } from './outbox-state'

/** Each connection state in a word and a colour: the header badge and Settings → Server. */
export const connectionLook: Record<Connection['state'], { color: string; label: string }> = {
  online: { color: 'green', label: 'Online' },
  connecting: { color: 'yellow', label: 'Connecting…' },
  offline: { color: 'red', label: 'Offline' },
  'server-error': { color: 'orange', label: 'Server problem' },
  'signed-out': { color: 'gray', label: 'Signed out' },
}

/** The header's connection dot: its state in a word, the reason and last sync on hover. */
export function ConnectionIndicator() {
  const connection = useConnection()
  const look = connectionLook[connection.state]
  const detail = [
    connection.reason,
    connection.lastSyncedAt ? `Last synced ${shortTime(connection.lastSyncedAt)}` : null,
  ]
    .filter(Boolean)
    .join(' · ')
  return (
    <Tooltip label={detail || look.label} withArrow>
      <Badge
        color={look.color}
        variant="dot"
        size="lg"
        data-testid="connection-state"
        data-state={connection.state}
        aria-label={`Connection: ${look.label}${detail ? `. ${detail}` : ''}`}
      >
        {look.label}
      </Badge>
    </Tooltip>
  )
}

/** Offline or failing: say so above everything, with what is waiting and a way to try now. */
export function OfflineBanner() {
  const connection = useConnection()
  const outbox = useOutbox()
  const { navigate } = useRoute()
  const [busy, setBusy] = useState(false)
  if (connection.state !== 'offline' && connection.state !== 'server-error') return null
  // Counted from the list the Outbox screen shows and its navbar badge counts: one number.
  const waiting = outbox.length
  return (
    <Alert
      color={connection.state === 'offline' ? 'red' : 'orange'}
      radius={0}
      py={6}
      role="status"
      data-testid="offline-banner"
    >
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" data-testid="offline-banner-text">
          {/* The engine's reason says why and that reading works offline; what waits is ours to count. */}
          {connection.reason ??
            (connection.state === 'offline'
              ? 'You are offline. Reading and search work from this computer; what you send waits in the outbox.'
              : 'The portal server has a problem; what you send waits in the outbox.')}{' '}
          {outboxWaiting(waiting)}
        </Text>
        <Group gap="xs" wrap="nowrap">
          {waiting > 0 && (
            <Button
              size="compact-sm"
              variant="white"
              onClick={() => navigate({ screen: 'outbox' })}
            >
              Open outbox
            </Button>
          )}
          <Button
            size="compact-sm"
            variant="white"
            loading={busy}
            onClick={() => {
              setBusy(true)
              void engine.syncNow({}).finally(() => setBusy(false))
            }}
          >
            Try again
          </Button>
        </Group>
      </Group>
    </Alert>
  )
}

/** A thin bar while the engine downloads conversations (first sync, catch-up after offline). */
export function SyncProgress() {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null)
  useEngineEvent('syncProgress', (p) => setProgress(p.done >= p.total ? null : p))
  if (!progress || progress.total <= 0) return null
  return (
    <Progress
      size="xs"
      radius={0}
      value={(100 * progress.done) / progress.total}
      aria-label={`Syncing: ${progress.done} of ${progress.total}`}
    />
  )
}
