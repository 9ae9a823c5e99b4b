import {
  Alert,
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
import { useEffect, useRef, useState } from 'react'
import { ipcInputs } from '../../../shared/ipc'
import { schemaWords } from '../../../ui/schema-words'
import { useMe } from '../state/connection'
import { usePeople, useProjects, useSettings } from '../state/directory'
import { engine, errorMessage } from '../engine'
import { useBodyLimit } from './body-limit'
import { messageBoxProps, StagedFileList, useStagedFiles } from './staged-files'
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

type Field = 'project' | 'subject' | 'body'

// The project and subject as the engine's contract checks them, in the form's words. The text
// and what is typed are the draft's (kept in the cache across restarts), not a form's of its own.
const headerProblems = schemaWords<{ projectId: string | null; subject: string }>(
  ipcInputs.createThread.pick({ projectId: true, subject: true }),
  {
    projectId: 'Pick the project this conversation is about.',
    subject: 'Write a subject, e.g. “Tile selection for the master bath”.',
  },
  ({ projectId, subject }) => ({ ...(projectId && { projectId }), subject }),
)

function NewThreadForm({
  defaultProjectId,
  onCreated,
  onCancel,
}: {
  defaultProjectId: string | null
  onCreated: (threadId: string) => void
  onCancel: () => void
}) {
  const { projects, projectsById } = useProjects()
  const { people } = usePeople()
  const { me } = useMe()
  const settings = useSettings()
  const [draft, setDraft, clearDraft] = useDraft('new')
  // With one project there is nothing to choose.
  const projectId =
    draft.projectId ?? defaultProjectId ?? (projects.length === 1 ? projects[0]!.id : null)
  const project = projectId ? projectsById.get(projectId) : undefined
  const [participantIds, setParticipantIds] = useState<string[]>([])
  const [urgent, setUrgent] = useState(false)
  // What to fix, at each field, all at once; each goes as soon as its field is right.
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({})
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const staged = useStagedFiles()
  const limit = useBodyLimit(draft.body)
  const fields = {
    project: useRef<HTMLInputElement>(null),
    subject: useRef<HTMLInputElement>(null),
    body: useRef<HTMLTextAreaElement>(null),
  }

  // A project's customer contacts are who a conversation is usually with.
  useEffect(() => {
    setParticipantIds(project ? project.customerIds.filter((id) => id !== me?.id) : [])
  }, [project, me?.id])

  const fixed = (field: Field) => setProblems((p) => ({ ...p, [field]: undefined }))
  const bodyMissing = !draft.body.trim() && !staged.files.length
  // A file attached is a message too.
  useEffect(() => {
    if (!bodyMissing) fixed('body')
  }, [bodyMissing])

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
    const header = headerProblems({ projectId, subject: draft.subject ?? '' })
    const found: Partial<Record<Field, string>> = {}
    if (header.projectId) found.project = String(header.projectId)
    if (header.subject) found.subject = String(header.subject)
    if (bodyMissing) found.body = 'Write a message or attach a file.'
    setProblems(found)
    const first = (['project', 'subject', 'body'] as const).find(
      (f) => found[f] || (f === 'body' && limit.tooLong),
    )
    if (first) return fields[first].current?.focus()
    setError(null)
    setSending(true)
    try {
      const { threadId } = await engine.createThread({
        projectId: projectId!,
        subject: draft.subject!.trim(),
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
      // The form stays open with everything in it; the refusal is said in it, once.
      setError(errorMessage(err))
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
        ref={fields.project}
        label="Project"
        placeholder="Pick a project"
        data={projects.map((p) => ({ value: p.id, label: p.name }))}
        value={projectId}
        onChange={(v) => {
          if (!v) return
          setDraft({ projectId: v })
          fixed('project')
        }}
        searchable
        // Focused by the form (on opening, or as the first field to fix), the list stays shut
        // so it hides none of the other fields' errors; a click, a key or typing opens it.
        openOnFocus={false}
        required
        error={problems.project}
        comboboxProps={{ withinPortal: false }}
        // The first field takes the focus, unless it is already chosen.
        data-autofocus={!projectId || undefined}
      />
      <TextInput
        ref={fields.subject}
        label="Subject"
        value={draft.subject ?? ''}
        onChange={(e) => {
          setDraft({ subject: e.currentTarget.value })
          if (e.currentTarget.value.trim()) fixed('subject')
        }}
        maxLength={200}
        required
        error={problems.subject}
        data-autofocus={projectId ? true : undefined}
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
        ref={fields.body}
        label="Message"
        autosize
        minRows={4}
        maxRows={14}
        error={limit.tooLong ?? problems.body}
        {...messageBoxProps({ draft, setDraft, limit, send, staged })}
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
        <Alert color="red" role="alert" title="Not sent">
          {error}
        </Alert>
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
