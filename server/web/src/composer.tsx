import {
  Alert,
  Button,
  Checkbox,
  CloseButton,
  Group,
  Progress,
  Stack,
  Text,
  Textarea,
} from '@mantine/core'
import { Dropzone } from '@mantine/dropzone'
import { useState } from 'react'
import {
  MessageDraft,
  type CompanySettings,
  type PublicSettings,
} from '../../../src/shared/protocol'
import { bodyCount, bodyTooLong, normalizeBody } from '../../../src/shared/message-body'
import { emergencyAdvice } from '../../../src/shared/contact'
import { checkNewFiles, formatBytes } from '../../../src/shared/files'
import { ApiError, uploadFile } from './api'
import { useSchemaForm } from './use-schema-form'

// The text and the urgent mark as the server's wire schema checks them; the company's own limit
// (settings.maxBodyChars, lower) is said below with the count.
const typed = MessageDraft.pick({ body: true, urgent: true })
const wireMax = MessageDraft.shape.body.maxLength ?? Infinity

interface PendingFile {
  key: string
  file: File
  progress: number
}

export interface ComposerResult {
  body: string
  urgent: boolean
  attachmentIds: string[]
}

/**
 * The message box with files: dropped or picked, checked against the portal's limits and types
 * before anything is uploaded, uploaded with progress when sending. Used for new conversations
 * and replies alike.
 */
export function Composer(props: {
  settings: PublicSettings | CompanySettings
  projectId: string | null
  label: string
  submitLabel: string
  showUrgent?: boolean
  disabled?: boolean
  onSubmit(result: ComposerResult): Promise<void>
}) {
  const { settings } = props
  const form = useSchemaForm(
    typed,
    { body: '', urgent: false },
    { body: (values) => bodyTooLong(normalizeBody(values.body).length, wireMax) ?? '' },
  )
  const { body, urgent } = form.getValues()
  const setBody = (text: string) => form.setFieldValue('body', text)
  const [files, setFiles] = useState<PendingFile[]>([])
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const add = (incoming: File[]) => {
    const { accepted, problems } = checkNewFiles(
      incoming.map((file) => ({ name: file.name, size: file.size, file })),
      files.map((f) => f.file),
      settings,
    )
    setFiles([
      ...files,
      ...accepted.map(({ file }) => ({
        key: `${file.name}-${file.size}-${file.lastModified}-${Math.random()}`,
        file,
        progress: 0,
      })),
    ])
    setProblem(problems.length ? problems.join(' ') : null)
  }

  // Counted as the server will count it, so what the box says is what the server does.
  const length = normalizeBody(body).length
  const tooLong = bodyTooLong(length, settings.maxBodyChars)
  const count = bodyCount(length, settings.maxBodyChars)
  // A text too long to send can travel as a document instead, where text files are allowed.
  const canAttachText = settings.allowedFileTypes.includes('txt')

  const attachTextAsFile = () => {
    const file = new File([body], 'message.txt', { type: 'text/plain' })
    add([file])
    setBody('')
  }

  const submit = async () => {
    if (!props.projectId) return
    if (!body.trim() && !files.length) {
      setProblem('Type a message or attach a file before sending.')
      return
    }
    // Never cut the text: say the limit and keep every character where it is.
    const refused = tooLong ?? form.validate().errors.body
    if (refused) {
      setProblem(String(refused))
      return
    }
    setBusy(true)
    setProblem(null)
    try {
      const attachmentIds: string[] = []
      for (const pending of files) {
        const attachment = await uploadFile(
          props.projectId,
          crypto.randomUUID(),
          pending.file,
          (p) =>
            setFiles((list) =>
              list.map((f) => (f.key === pending.key ? { ...f, progress: p } : f)),
            ),
        )
        attachmentIds.push(attachment.id)
      }
      await props.onSubmit({ body, urgent: urgent === true, attachmentIds })
      form.reset()
      setFiles([])
    } catch (err) {
      setProblem(
        err instanceof ApiError || err instanceof Error
          ? err.message
          : 'Sending failed. Please try again.',
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <Stack gap="sm">
      <Textarea
        label={props.label}
        autosize
        minRows={4}
        maxRows={20}
        value={body}
        onChange={(e) => {
          setBody(e.currentTarget.value)
          if (problem === tooLong) setProblem(null)
        }}
        disabled={props.disabled || busy}
        error={tooLong ?? undefined}
        description={tooLong ? undefined : (count ?? undefined)}
      />
      {tooLong && (
        <Group gap="xs">
          <Text size="sm" c="red.8">
            {count}
          </Text>
          {canAttachText && (
            <Button size="xs" variant="light" onClick={attachTextAsFile}>
              Send the text as a file instead
            </Button>
          )}
        </Group>
      )}
      <Dropzone
        onDrop={add}
        onReject={(rejections) => add(rejections.map((r) => r.file))}
        disabled={props.disabled || busy}
        multiple
        aria-label="Attach files: drop them here or click to choose"
        inputProps={{ 'aria-label': 'Attach files' }}
      >
        <Stack gap={2} align="center" py="sm">
          <Text size="sm">Drop files here or click to choose</Text>
          <Text size="xs" c="dimmed">
            Up to {formatBytes(settings.maxFileBytes)} per file, {settings.maxFilesPerMessage} files
            per message. Types: {settings.allowedFileTypes.join(', ')}.
          </Text>
        </Stack>
      </Dropzone>
      {files.map((f) => (
        <Group key={f.key} gap="xs" wrap="nowrap">
          <Text size="sm" style={{ flex: 1 }} truncate>
            {f.file.name} ({formatBytes(f.file.size)})
          </Text>
          {busy ? (
            <Progress value={f.progress * 100} w={120} aria-label={`Uploading ${f.file.name}`} />
          ) : (
            <CloseButton
              aria-label={`Remove ${f.file.name}`}
              onClick={() => setFiles((l) => l.filter((x) => x.key !== f.key))}
            />
          )}
        </Group>
      ))}
      {props.showUrgent && (
        <Checkbox
          label="Urgent"
          description={emergencyAdvice(settings)}
          {...form.getInputProps('urgent', { type: 'checkbox' })}
          disabled={props.disabled || busy}
        />
      )}
      {problem && (
        <Alert color="red" role="alert">
          {problem}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button
          onClick={() => void submit()}
          loading={busy}
          disabled={props.disabled || Boolean(tooLong)}
        >
          {props.submitLabel}
        </Button>
      </Group>
    </Stack>
  )
}
