import { Alert, Button, CloseButton, FileButton, Group, Paper, Progress, Text } from '@mantine/core'
import { useCallback, useState, type ReactNode } from 'react'
import type { StagedFile } from '../../../shared/ipc'
import { checkNewFiles, formatBytes } from '../../../shared/files'
import { useSettings } from '../state/directory'
import { engine, errorMessage, useEngineEvent } from '../engine'
import { countBelowBox } from './body-limit'

/**
 * The files of a message being written: checked against the company's limits and types before
 * anything is staged (the message names the limit), then staged in the engine, which uploads them
 * when the message is sent. Used by the reply box and the new-conversation form.
 */
export function useStagedFiles() {
  const settings = useSettings()
  const [files, setFiles] = useState<StagedFile[]>([])
  const [problem, setProblem] = useState<string | null>(null)
  const [staging, setStaging] = useState(0)

  const add = useCallback(
    async (incoming: File[]) => {
      if (!incoming.length) return
      // Until the company's settings have synced, the engine's own check (at staging) decides.
      const { accepted, problems } = settings
        ? checkNewFiles(incoming, files, settings)
        : { accepted: incoming, problems: [] }
      setProblem(problems.length ? problems.join(' ') : null)
      setStaging((n) => n + accepted.length)
      for (const file of accepted) {
        try {
          const staged = await engine.stageBytes({
            name: file.name,
            bytes: new Uint8Array(await file.arrayBuffer()),
          })
          setFiles((current) => [...current, staged])
        } catch (err) {
          setProblem((p) => [p, errorMessage(err)].filter(Boolean).join(' '))
        } finally {
          setStaging((n) => n - 1)
        }
      }
    },
    [files, settings],
  )

  const remove = useCallback((id: string) => {
    setFiles((current) => current.filter((f) => f.id !== id))
    void engine.unstage({ id }).catch(() => undefined)
  }, [])

  /** After sending: the engine owns the staged files now. */
  const clear = useCallback(() => {
    setFiles([])
    setProblem(null)
  }, [])

  return { files, problem, staging, add, remove, clear, setProblem }
}

export type StagedFiles = ReturnType<typeof useStagedFiles>

export function StagedFileList({ staged }: { staged: StagedFiles }) {
  const [progress, setProgress] = useState<Record<string, number>>({})
  useEngineEvent('transfer', (t) => {
    if (t.direction !== 'upload') return
    setProgress((p) => ({ ...p, [t.id]: t.total ? (100 * t.done) / t.total : 0 }))
  })
  return (
    <>
      {staged.problem && (
        <Alert
          color="red"
          role="alert"
          py={6}
          withCloseButton
          onClose={() => staged.setProblem(null)}
          closeButtonLabel="Dismiss"
        >
          {staged.problem}
        </Alert>
      )}
      {(staged.files.length > 0 || staged.staging > 0) && (
        <Group gap={6} aria-label="Files to send" role="list">
          {staged.files.map((f) => (
            <Paper key={f.id} withBorder px={8} py={2} role="listitem">
              <Group gap={4} wrap="nowrap">
                <Text size="xs" maw={220} truncate title={f.name}>
                  {f.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(f.size)}
                </Text>
                <CloseButton
                  size="xs"
                  aria-label={`Remove ${f.name}`}
                  onClick={() => staged.remove(f.id)}
                />
              </Group>
              {progress[f.id] !== undefined && progress[f.id]! < 100 && (
                <Progress value={progress[f.id]!} size="xs" aria-label={`Uploading ${f.name}`} />
              )}
            </Paper>
          ))}
          {staged.staging > 0 && (
            <Text size="xs" c="dimmed">
              Adding {staged.staging} {staged.staging === 1 ? 'file' : 'files'}…
            </Text>
          )}
        </Group>
      )}
    </>
  )
}

/**
 * What a message box does, in the reply box and the new-conversation form alike: it shows the
 * draft's text with its count below, Ctrl/Cmd+Enter sends, Esc leaves the box, pasted images and
 * files are attached.
 */
export function messageBoxProps({
  draft,
  setDraft,
  limit,
  send,
  staged,
}: {
  draft: { body: string }
  setDraft: (patch: { body: string }) => void
  limit: { count: ReactNode }
  send: () => unknown
  staged: StagedFiles
}) {
  const addFiles = (files: File[]) => void staged.add(files)
  return {
    value: draft.body,
    onChange: (event: React.ChangeEvent<HTMLTextAreaElement>) =>
      setDraft({ body: event.currentTarget.value }),
    description: limit.count,
    inputWrapperOrder: [...countBelowBox],
    onPaste: (event: React.ClipboardEvent) => {
      const files = [...event.clipboardData.files]
      if (!files.length) return
      event.preventDefault()
      addFiles(files)
    },
    onKeyDown: (event: React.KeyboardEvent<HTMLTextAreaElement>) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault()
        void send()
      }
      if (event.key === 'Escape') event.currentTarget.blur()
    },
  }
}

/** The button that picks files for a message, in the reply box and the new-conversation form. */
export function AttachFilesButton({ staged }: { staged: StagedFiles }) {
  return (
    <FileButton onChange={(files) => void staged.add(files)} multiple>
      {(props) => (
        <Button {...props} variant="default" size="xs">
          Attach files
        </Button>
      )}
    </FileButton>
  )
}
