import {
  Alert,
  Button,
  Checkbox,
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
import { useForm } from '@mantine/form'
import { bodyCount } from '../../../shared/message-body'
import { NewThreadBody } from '../../../shared/protocol/api'
import { schemaWords } from '../../../ui/schema-words'
import { useMe } from '../state/connection'
import { usePeople, useProjects, useSettings } from '../state/directory'
import { engine, errorMessage } from '../engine'
import { countBelowBox, useBodyLimit } from './body-limit'
import { AttachFilesButton, messageBoxProps, StagedFileList, useStagedFiles } from './staged-files'
import { useDraftStore } from './use-draft'

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

type Fields = {
  /** The project picked in the form; until one is, the default (below) is shown. */
  projectId: string | null
  subject: string
  body: string
  internal: boolean
  urgent: boolean
  participantIds: string[]
}
const order = ['projectId', 'subject', 'body'] as const
const drafted = ['projectId', 'subject', 'body', 'internal'] as const

// The subject as the server's wire schema limits it, so a paste over the limit stays whole in
// the box with its count and the refusal, instead of being cut short by the box.
const subjectSchema = NewThreadBody.shape.subject
const subjectMax = subjectSchema.maxLength ?? Infinity
const subjectTooLong = (subject: string) => {
  const length = subject.trim().length
  return length > subjectMax
    ? `The subject is ${length.toLocaleString('en')} characters; the limit is ${subjectMax}. Shorten it.`
    : null
}

// The project and subject as the wire contract checks them, in the form's words.
const headerProblems = schemaWords<Fields>(
  NewThreadBody.pick({ projectId: true, subject: true }),
  {
    projectId: 'Pick the project this conversation is about.',
    subject: (values) =>
      subjectTooLong(values.subject) ??
      'Write a subject, e.g. “Tile selection for the master bath”.',
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
  const staged = useStagedFiles()
  // With one project there is nothing to choose.
  const defaultProject = defaultProjectId ?? (projects.length === 1 ? projects[0]!.id : null)
  // The form is the one copy of what is typed; the "new" draft is written from it as it changes
  // and put back into it when it loads. Urgent and the participants are not part of a draft.
  const form = useForm<Fields>({
    initialValues: {
      projectId: null,
      subject: '',
      body: '',
      internal: false,
      urgent: false,
      participantIds: [],
    },
    validate: (values) => {
      const found = headerProblems({ ...values, projectId: values.projectId ?? defaultProject })
      // A file attached is a message too.
      if (!values.body.trim() && !staged.files.length)
        found.body = 'Write a message or attach a file.'
      return found
    },
    // A mistake goes as soon as its field is right, not at the first key.
    clearInputErrorOnChange: false,
    onValuesChange: (values, previous) => {
      // Only what a person typed is a change to the draft: the participants filled in from the
      // project are not, and would otherwise win over the saved draft as it loads.
      if (drafted.some((field) => values[field] !== previous[field]))
        draft.save({
          body: values.body,
          internal: values.internal,
          subject: values.subject,
          ...(values.projectId && { projectId: values.projectId }),
        })
      for (const field of order)
        if (values[field] !== previous[field] && form.errors[field]) form.validateField(field)
    },
  })
  const draft = useDraftStore('new', (saved) =>
    form.setValues({
      body: saved.body,
      internal: saved.internal,
      subject: saved.subject ?? '',
      projectId: saved.projectId ?? null,
    }),
  )
  const { values } = form
  const projectId = values.projectId ?? defaultProject
  const project = projectId ? projectsById.get(projectId) : undefined
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const limit = useBodyLimit(values.body)
  const subjectCount = bodyCount(values.subject.trim().length, subjectMax)
  const fields = {
    projectId: useRef<HTMLInputElement>(null),
    subject: useRef<HTMLInputElement>(null),
    body: useRef<HTMLTextAreaElement>(null),
  }

  // A project's customer contacts are who a conversation is usually with.
  const { setFieldValue, clearFieldError } = form
  useEffect(() => {
    setFieldValue(
      'participantIds',
      project ? project.customerIds.filter((id) => id !== me?.id) : [],
    )
  }, [project, me?.id, setFieldValue])

  const bodyMissing = !values.body.trim() && !staged.files.length
  useEffect(() => {
    if (!bodyMissing) clearFieldError('body')
  }, [bodyMissing, clearFieldError])

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
    const { errors } = form.validate()
    const first = order.find((f) => errors[f] || (f === 'body' && limit.tooLong))
    if (first) return fields[first].current?.focus()
    setError(null)
    setSending(true)
    try {
      const { threadId } = await engine.createThread({
        projectId: projectId!,
        subject: values.subject.trim(),
        body: values.body.trim(),
        internal: values.internal,
        urgent: values.urgent,
        participantIds: values.participantIds,
        stagedFileIds: staged.files.map((f) => f.id),
      })
      staged.clear()
      draft.clear()
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
        ref={fields.projectId}
        label="Project"
        placeholder="Pick a project"
        data={projects.map((p) => ({ value: p.id, label: p.name }))}
        value={projectId}
        onChange={(v) => {
          if (v) form.setFieldValue('projectId', v)
        }}
        searchable
        // Focused by the form (on opening, or as the first field to fix), the list stays shut
        // so it hides none of the other fields' errors; a click, a key or typing opens it.
        openOnFocus={false}
        required
        error={form.errors.projectId}
        comboboxProps={{ withinPortal: false }}
        // The first field takes the focus, unless it is already chosen.
        data-autofocus={!projectId || undefined}
      />
      <TextInput
        ref={fields.subject}
        label="Subject"
        {...form.getInputProps('subject')}
        description={subjectCount}
        inputWrapperOrder={[...countBelowBox]}
        required
        error={form.errors.subject ?? subjectTooLong(values.subject)}
        data-autofocus={projectId ? true : undefined}
      />
      <MultiSelect
        label="Participants"
        description="The project’s customer contacts are added; add team members or subcontractors"
        data={candidates}
        {...form.getInputProps('participantIds')}
        searchable
        comboboxProps={{ withinPortal: false }}
      />
      <Textarea
        ref={fields.body}
        label="Message"
        autosize
        minRows={4}
        maxRows={14}
        error={[limit.tooLong ?? form.errors.body, draft.problem].filter(Boolean).join(' ') || null}
        {...messageBoxProps({
          draft: values,
          setDraft: ({ body }) => form.setFieldValue('body', body),
          limit,
          send,
          staged,
        })}
      />
      <StagedFileList staged={staged} />
      <Group gap="md">
        <Switch
          label="Internal note (only staff see it)"
          {...form.getInputProps('internal', { type: 'checkbox' })}
        />
        <Checkbox label="Urgent" {...form.getInputProps('urgent', { type: 'checkbox' })} />
        <AttachFilesButton staged={staged} />
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
