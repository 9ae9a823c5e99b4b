import { Button, Group, Image, Paper, Progress, Stack, Text, ThemeIcon } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useEffect, useRef, useState } from 'react'
import type { Attachment } from '../../../shared/protocol'
import { formatBytes, extensionOf } from '../../../shared/files'
import { engine, errorMessage, useEngineEvent } from '../engine'
import { saveFile, savedSentence } from '../save-file'

const THUMBNAIL_MAX_BYTES = 15 * 1024 * 1024
const isImage = (a: Attachment) => /^image\/(png|jpeg|gif|webp)$/.test(a.contentType)

/** A message's files: thumbnails for images, an icon and size for the rest; open and save. */
export function Attachments({
  items,
  pending = false,
}: {
  items: Attachment[]
  pending?: boolean
}) {
  if (!items.length) return null
  return (
    <Group gap="xs" mt="xs" aria-label="Attached files" role="list">
      {items.map((a) => (
        <AttachmentCard key={a.id} attachment={a} pending={pending} />
      ))}
    </Group>
  )
}

/**
 * One file. While its message waits in the outbox the file is still on this computer: the card
 * shows the upload's progress instead of Open and Save.
 */
function AttachmentCard({ attachment, pending }: { attachment: Attachment; pending: boolean }) {
  const [progress, setProgress] = useState<number | null>(null)
  const [busy, setBusy] = useState<'open' | 'save' | null>(null)
  useEngineEvent('transfer', (t) => {
    if (t.id !== attachment.id) return
    setProgress(t.total > 0 && t.done < t.total ? (100 * t.done) / t.total : null)
  })

  const couldNot = (verb: 'open' | 'save', message: string) =>
    notifications.show({ color: 'red', title: `Could not ${verb} ${attachment.name}`, message })
  /** Marks the card busy while the work runs, and says in a toast what went wrong if it fails. */
  const busyWith = (verb: 'open' | 'save', work: () => Promise<void>) => async () => {
    setBusy(verb)
    try {
      await work()
    } catch (err) {
      couldNot(verb, errorMessage(err))
    } finally {
      setBusy(null)
    }
  }
  const save = busyWith('save', async () => {
    const { bytes } = await engine.readAttachment({ attachmentId: attachment.id })
    // The name is the server's sanitized one, the type the one it decided from the bytes.
    const outcome = await saveFile(attachment.name, bytes, attachment.contentType)
    if (!outcome.saved && outcome.why === 'failed')
      couldNot('save', savedSentence(attachment.name, outcome))
  })
  const open = busyWith('open', async () => {
    const { opened } = await engine.openAttachment({ attachmentId: attachment.id })
    // Without a desktop shell (the browser host) there is no app to open it with: save instead.
    if (!opened) await save()
  })

  return (
    <Paper
      withBorder
      p={6}
      w={200}
      role="listitem"
      aria-label={`${attachment.name}, ${formatBytes(attachment.size)}`}
    >
      <Stack gap={4}>
        {!pending && isImage(attachment) && attachment.size <= THUMBNAIL_MAX_BYTES ? (
          <Thumbnail attachment={attachment} />
        ) : (
          <Group gap={6} wrap="nowrap">
            <ThemeIcon variant="light" size="lg" aria-hidden>
              <Text size="xs" fw={700}>
                {(extensionOf(attachment.name) || 'file').slice(0, 4).toUpperCase()}
              </Text>
            </ThemeIcon>
          </Group>
        )}
        <Text size="xs" fw={600} truncate title={attachment.name}>
          {attachment.name}
        </Text>
        <Text size="xs" c="dimmed">
          {formatBytes(attachment.size)}
        </Text>
        {progress !== null && (
          <Progress
            value={progress}
            size="sm"
            aria-label={`${pending ? 'Uploading' : 'Downloading'} ${attachment.name}`}
          />
        )}
        {pending && progress === null && (
          <Text size="xs" c="dimmed">
            Uploads when the message is sent
          </Text>
        )}
        {!pending && (
          <Group gap={4}>
            {(
              [
                ['open', 'Open', 'light', open],
                ['save', 'Save', 'default', save],
              ] as const
            ).map(([action, word, variant, run]) => (
              <Button
                key={action}
                size="compact-xs"
                variant={variant}
                loading={busy === action}
                onClick={() => void run()}
                aria-label={`${word} ${attachment.name}`}
              >
                {word}
              </Button>
            ))}
          </Group>
        )}
      </Stack>
    </Paper>
  )
}

/** Loaded when it scrolls into view, from the engine's file cache (so it shows offline once fetched). */
function Thumbnail({ attachment }: { attachment: Attachment }) {
  const box = useRef<HTMLDivElement>(null)
  const [url, setUrl] = useState<string | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let revoked = false
    let objectUrl: string | null = null
    const element = box.current
    if (!element) return
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return
      observer.disconnect()
      engine
        .readAttachment({ attachmentId: attachment.id })
        .then(({ bytes }) => {
          if (revoked) return
          objectUrl = URL.createObjectURL(
            new Blob([bytes as BlobPart], { type: attachment.contentType }),
          )
          setUrl(objectUrl)
        })
        .catch(() => !revoked && setFailed(true))
    })
    observer.observe(element)
    return () => {
      revoked = true
      observer.disconnect()
      if (objectUrl) URL.revokeObjectURL(objectUrl)
    }
  }, [attachment.id, attachment.contentType])
  return (
    <div
      ref={box}
      style={{ height: 120, display: 'flex', alignItems: 'center', justifyContent: 'center' }}
    >
      {url ? (
        <Image src={url} alt={attachment.name} h={120} fit="contain" radius="sm" />
      ) : (
        <Text size="xs" c="dimmed">
          {failed ? 'Preview not available offline' : 'Loading preview…'}
        </Text>
      )}
    </div>
  )
}
