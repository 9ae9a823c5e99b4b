// Admin → People's two forms: invite a person (any role, a subcontractor too) and correct a
// person's name or email address. Both check with the server's schemas (NewPersonBody,
// PersonPatch) in the form's words, and put the server's refusal at the field it is about.
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
  TextInput,
} from '@mantine/core'
import { useForm, type UseFormReturnType } from '@mantine/form'
import { NewPersonBody, PersonPatch, type Person, type Role } from '../../../../shared/protocol'
import { blankOr, schemaWords } from '../../../../ui/schema-words'
import { engine, errorMessage } from '../../engine'
import { useMe } from '../../state/connection'
import { useProjects } from '../../state/directory'
import { saved } from '../settings-parts'
import { useRun } from './use-run'
import { errorCode, hasPortalRole, roleLabel, roleOptions } from './words'

interface InviteForm {
  role: Role
  name: string
  email: string
  projectIds: string[]
  portalAccess: boolean
  invite: boolean
}

const nameWords = blankOr<{ name: string }>(
  'name',
  'Enter their name, e.g. “Dana Lake”.',
  'Write the name on one line, in at most 120 characters.',
)
const EMAIL_WORDS = 'Enter their email address, e.g. dana@example.com.'
const trimmed = <V extends { name: string; email: string }>(values: V) => ({
  ...values,
  name: values.name.trim(),
  email: values.email.trim(),
})

const inviteProblems = schemaWords<InviteForm>(
  NewPersonBody,
  { name: nameWords, email: EMAIL_WORDS },
  trimmed,
)

/**
 * Runs a form's save and says how it went: a refusal about the address (EMAIL_TAKEN) at the
 * email field, anything else in words above the buttons.
 */
function useSave<V>(form: UseFormReturnType<V>) {
  const { problem, busy, run } = useRun()
  const save = (call: () => Promise<void>) =>
    run(call, (err) => {
      if (errorCode(err) !== 'EMAIL_TAKEN') return errorMessage(err)
      form.setFieldError('email', errorMessage(err))
      return null
    })
  return { problem, busy, run: save }
}

function FormButtons(props: { busy: boolean; label: string; onClose: () => void }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={props.onClose} disabled={props.busy}>
        Cancel
      </Button>
      <Button type="submit" loading={props.busy}>
        {props.label}
      </Button>
    </Group>
  )
}

function Problem({ title, text }: { title: string; text: string | null }) {
  if (!text) return null
  return (
    <Alert color="red" title={title} role="alert">
      {text}
    </Alert>
  )
}

/** "Invite person": a new account of any role, on the projects picked, with its invitation mail. */
export function InviteDialog({ onClose }: { onClose: () => void }) {
  const { projects } = useProjects()
  const form = useForm<InviteForm>({
    initialValues: {
      role: 'customer',
      name: '',
      email: '',
      projectIds: [],
      portalAccess: true,
      invite: true,
    },
    validate: inviteProblems,
  })
  const { problem, busy, run } = useSave(form)
  const { role, invite } = form.values
  const portalRole = hasPortalRole({ role })

  const submit = () =>
    run(async () => {
      const values = trimmed(form.getValues())
      const person = await engine.createPerson({
        ...values,
        // Staff sign in to Portal Inbox whatever this says; it is the portal's door only.
        portalAccess: portalRole ? values.portalAccess : true,
      })
      saved(
        invite
          ? `${person.name} is added as ${roleLabel[person.role].toLowerCase()} and gets an invitation email to set a password.`
          : `${person.name} is added as ${roleLabel[person.role].toLowerCase()}.`,
        'Person invited',
      )
      onClose()
    })

  return (
    <Modal opened onClose={onClose} title="Invite person" size="lg" closeOnClickOutside={!busy}>
      <form onSubmit={form.onSubmit(() => void submit())} noValidate>
        <Stack>
          <Select
            label="Role"
            data={roleOptions.map(({ value, label }) => ({ value, label }))}
            description={roleOptions.find((r) => r.value === role)?.description}
            value={role}
            onChange={(r) => r && form.setFieldValue('role', r as Role)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput label="Name" {...form.getInputProps('name')} required data-autofocus />
          <TextInput label="Email" type="email" {...form.getInputProps('email')} required />
          <MultiSelect
            label="Projects"
            description={
              portalRole
                ? 'They see the conversations of these projects only.'
                : 'They join these projects’ teams.'
            }
            data={projects.map((p) => ({ value: p.id, label: p.name }))}
            searchable
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('projectIds')}
          />
          {portalRole && (
            <Switch
              label="Portal access"
              description="Without it they cannot sign in to the portal or send messages."
              {...form.getInputProps('portalAccess', { type: 'checkbox' })}
            />
          )}
          <Checkbox
            label="Send an invitation email to set a password"
            {...form.getInputProps('invite', { type: 'checkbox' })}
          />
          <Problem title="Not invited" text={problem} />
          <FormButtons busy={busy} label="Invite" onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  )
}

interface EditForm {
  name: string
  email: string
}

const editProblems = schemaWords<EditForm>(
  PersonPatch,
  { name: nameWords, email: EMAIL_WORDS },
  trimmed,
)

/** Correct a person's name or email address; a new address signs them out everywhere. */
export function EditDialog({ person, onClose }: { person: Person; onClose: () => void }) {
  const { me } = useMe()
  const form = useForm<EditForm>({
    initialValues: { name: person.name, email: person.email ?? '' },
    validate: editProblems,
  })
  const { problem, busy, run } = useSave(form)
  const newEmail = form.values.email.trim().toLowerCase() !== (person.email ?? '')
  const self = me?.id === person.id

  const submit = () =>
    run(async () => {
      const { name, email } = trimmed(form.getValues())
      const patch = {
        ...(name !== person.name && { name }),
        ...(newEmail && { email }),
      }
      if (Object.keys(patch).length === 0) return onClose()
      const updated = await engine.updatePerson({ personId: person.id, patch })
      saved(
        newEmail
          ? `${updated.name}’s email is now ${updated.email}; they were signed out everywhere and sign in again with it.`
          : `${updated.name} is updated.`,
        'Person saved',
      )
      onClose()
    })

  return (
    <Modal
      opened
      onClose={onClose}
      title={`Edit ${person.name}`}
      size="md"
      closeOnClickOutside={!busy}
    >
      <form onSubmit={form.onSubmit(() => void submit())} noValidate>
        <Stack>
          <TextInput label="Name" {...form.getInputProps('name')} required data-autofocus />
          <TextInput label="Email" type="email" {...form.getInputProps('email')} required />
          {newEmail ? (
            <Alert color="yellow" title="Changing the email signs them out everywhere" role="note">
              {self
                ? 'You stay signed in here; your other devices are signed out, and you sign in there with the new address.'
                : `${person.name} is signed out on every device and signs in again with the new address. Their password stays the same.`}
            </Alert>
          ) : (
            <Text size="xs" c="dimmed">
              Correcting the email address signs them out everywhere.
            </Text>
          )}
          <Problem title="Not saved" text={problem} />
          <FormButtons busy={busy} label="Save" onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  )
}
