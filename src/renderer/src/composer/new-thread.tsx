import {
  Button,
  Checkbox,
  FileButton,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core'
import { Dropzone } from '@mantine/dropzone'
import { notifications } from '@mantine/notifications'
import { useEffect, useState } from 'react'
import { useApp } from '../app-state'
import { engine, errorMessage } from '../engine'
import { messageBoxHandlers, StagedFileList, useStagedFiles } from './staged-files'
import { useDraft } from './use-draft'

/**
 * A new conversation: project, subject, participants (the project's customer contacts are
 * suggested), message, files. Like a reply it goes through the outbox, so it can be written
 * offline; the form's text is kept as the "new" draft until it is sent.
 */
export function NewThreadModal({
  opened,
  onClose,
  defaultProjectId,
  onCreated,
}: {
  opened: boolean
  onClose: () => void
  defaultProjectId: string | null
  onCreated: (threadId: string) => void
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="New conversation" size="lg">
      {opened && (
        <NewThreadForm
          defaultProjectId={defaultProjectId}
          onCreated={onCreated}
          onCancel={onClose}
        />
      )}
    </Modal>
  )
}

function NewThreadForm({
  defaultProjectId,
  onCreated,
  onCancel,
}: {
  defaultProjectId: string | null
  onCreated: (threadId: string) => void
  onCancel: () => void
}) {
  const { projects, projectsById, people, me, settings } = useApp()
  const [draft, setDraft, clearDraft] = useDraft('new')
  const projectId = draft.projectId ?? defaultProjectId ?? null
  const project = projectId ? projectsById.get(projectId) : undefined
  const [participantIds, setParticipantIds] = useState<string[]>([])
  const [urgent, setUrgent] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const staged = useStagedFiles()

  // A project's customer contacts are who a conversation is usually with.
  useEffect(() => {
    setParticipantIds(project ? project.customerIds.filter((id) => id !== me?.id) : [])
  }, [project, me?.id])

  const subcontractorsAllowed =
    settings && 'subcontractorsAllowed' in settings ? settings.subcontractorsAllowed : false
  const candidates = people
    .filter((p) => p.id !== me?.id)
    .filter(
      (p) =>
        p.role === 'staff' ||
        p.role === 'admin' ||
        (p.role === 'customer' && project?.customerIds.includes(p.id)) ||
        (p.role === 'subcontractor' && subcontractorsAllowed),
    )
    .map((p) => ({ value: p.id, label: `${p.name} (${p.role})` }))

  const send = async () => {
    if (!projectId) return setError('Pick the project this conversation is about.')
    if (!draft.subject?.trim())
      return setError('Write a subject, e.g. “Tile selection for the master bath”.')
    if (!draft.body.trim() && !staged.files.length)
      return setError('Write a message or attach a file.')
    setError(null)
    setSending(true)
    try {
      const { threadId } = await engine.createThread({
        projectId,
        subject: draft.subject.trim(),
        body: draft.body.trim(),
        internal: draft.internal,
        urgent,
        participantIds,
        stagedFileIds: staged.files.map((f) => f.id),
      })
      staged.clear()
      clearDraft()
      onCreated(threadId)
    } catch (err) {
      setError(errorMessage(err))
      notifications.show({ color: 'red', title: 'Not sent', message: errorMessage(err) })
    } finally {
      setSending(false)
    }
  }

  return (
    <Stack>
      <Dropzone.FullScreen
        active
        onDrop={(files) => void staged.add(files)}
        aria-label="Drop files to attach them"
        inputProps={{ 'aria-label': 'Files to attach to the new conversation' }}
      >
        <Text size="xl" fw={700} ta="center" mt="30vh">
          Drop files to attach them to the new conversation
        </Text>
      </Dropzone.FullScreen>
      <Select
        label="Project"
        placeholder="Pick a project"
        data={projects.map((p) => ({ value: p.id, label: p.name }))}
        value={projectId}
        onChange={(v) => v && setDraft({ projectId: v })}
        searchable
        required
        comboboxProps={{ withinPortal: false }}
      />
      <TextInput
        label="Subject"
        value={draft.subject ?? ''}
        onChange={(e) => setDraft({ subject: e.currentTarget.value })}
        maxLength={200}
        required
        data-autofocus
      />
      <MultiSelect
        label="Participants"
        description="The project’s customer contacts are added; add team members or subcontractors"
        data={candidates}
        value={participantIds}
        onChange={setParticipantIds}
        searchable
        comboboxProps={{ withinPortal: false }}
      />
      <Textarea
        label="Message"
        autosize
        minRows={4}
        maxRows={14}
        value={draft.body}
        onChange={(e) => setDraft({ body: e.currentTarget.value })}
        {...messageBoxHandlers(
          () => void send(),
          (files) => void staged.add(files),
        )}
      />
      <StagedFileList staged={staged} />
      <Group gap="md">
        <Switch
          label="Internal note (only staff see it)"
          checked={draft.internal}
          onChange={(e) => setDraft({ internal: e.currentTarget.checked })}
        />
        <Checkbox
          label="Urgent"
          checked={urgent}
          onChange={(e) => setUrgent(e.currentTarget.checked)}
        />
        <FileButton onChange={(files) => void staged.add(files)} multiple>
          {(props) => (
            <Button {...props} variant="default" size="xs">
              Attach files
            </Button>
          )}
        </FileButton>
      </Group>
      {error && (
        <Text c="red" size="sm" role="alert">
          {error}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Keep as draft
        </Button>
        <Button onClick={() => void send()} loading={sending} disabled={staged.staging > 0}>
          Start conversation
        </Button>
      </Group>
    </Stack>
  )
}
