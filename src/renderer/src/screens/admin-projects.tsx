// Admin → project setup, in the help page's words: a project needs customer contacts, team members,
// and a stage in which the portal is open. The table says which projects are not ready and why.
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  type MultiSelectProps,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  useComputedColorScheme,
} from '@mantine/core'
import { useForm } from '@mantine/form'
import { useMemo, useState, type KeyboardEvent } from 'react'
import {
  NewPersonBody,
  NewProjectBody,
  type Person,
  type Project,
  type ProjectStage,
} from '../../../shared/protocol'
import { blankOr, schemaWords } from '../../../ui/schema-words'
import { useConnection } from '../state/connection'
import { usePeople, useProjects, useSettings } from '../state/directory'
import { engine, errorMessage } from '../engine'
import { StageBadge, stageLabel, stages } from './admin-parts'
import { saved } from './settings-parts'
import { AdminTable } from './admin-table'

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)

/** Why customers of this project cannot message yet, in the troubleshooting page's words. */
function setupProblems(project: Project, peopleById: Map<string, Person>): string[] {
  const problems: string[] = []
  if (!project.portalOpen) problems.push(`Portal closed in the ${stageLabel[project.stage]} stage`)
  if (project.customerIds.length === 0) problems.push('No customer contacts')
  else if (!project.customerIds.some((id) => peopleById.get(id)?.portalAccess))
    problems.push('No customer has portal access')
  if (project.teamIds.length === 0) problems.push('No team members')
  return problems
}

export function ProjectSetup() {
  const { projects } = useProjects()
  const { peopleById } = usePeople()
  const connection = useConnection()
  const [editing, setEditing] = useState<Project | 'new' | null>(null)
  const sorted = useMemo(() => [...projects].sort(byName), [projects])
  // Small warning text readable on both backgrounds (orange falls under 4.5:1 on white).
  const warningColor = useComputedColorScheme('light') === 'dark' ? 'red.3' : 'red.9'
  const names = (ids: string[]) =>
    ids
      .map((id) => peopleById.get(id))
      .filter((p): p is Person => !!p)
      .sort(byName)

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={560}>
          Customers can message about a project when it has customer contacts with portal access,
          team members, and a stage in which the portal is open.
        </Text>
        <Button onClick={() => setEditing('new')}>New project</Button>
      </Group>
      {connection.state !== 'online' && (
        <Alert color="yellow" title="Not connected">
          Projects and people are changed on the portal server; saving waits until Portal Inbox is
          online again.
        </Alert>
      )}
      <AdminTable
        label="Projects"
        columns={['Project', 'Stage', 'Portal', 'Customer contacts', 'Team members']}
        empty={sorted.length === 0 ? 'No projects yet. Create one with “New project”.' : null}
      >
        {sorted.map((project) => {
          const problems = setupProblems(project, peopleById)
          return (
            <Table.Tr key={project.id} data-project-id={project.id}>
              <Table.Td>
                <Text fw={600} size="sm">
                  {project.name}
                </Text>
                {problems.length > 0 && (
                  <Text size="xs" c={warningColor} data-testid="setup-problems">
                    {problems.join(' · ')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <StageBadge stage={project.stage} />
              </Table.Td>
              <Table.Td>
                <Badge color={project.portalOpen ? 'green' : 'gray'} variant="dot">
                  {project.portalOpen ? 'Open' : 'Closed'}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {names(project.customerIds)
                    .map((p) => (p.portalAccess ? p.name : `${p.name} (no portal access)`))
                    .join(', ') || '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {names(project.teamIds)
                    .map((p) => p.name)
                    .join(', ') || '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Button
                  size="compact-sm"
                  variant="light"
                  onClick={() => setEditing(project)}
                  aria-label={`Edit ${project.name}`}
                >
                  Edit
                </Button>
              </Table.Td>
            </Table.Tr>
          )
        })}
      </AdminTable>
      {editing && (
        <ProjectDialog
          project={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Stack>
  )
}

interface ProjectForm {
  name: string
  stage: ProjectStage
  customerIds: string[]
  teamIds: string[]
}

// The server's rules for a project, with the name said in the dialog's words.
const projectProblems = schemaWords<ProjectForm>(
  NewProjectBody,
  {
    name: blankOr(
      'name',
      'Enter the project’s name, e.g. “Smith kitchen remodel”.',
      'Shorten the name to 200 characters.',
    ),
  },
  (values) => ({ ...values, name: values.name.trim() }),
)

function ProjectDialog({ project, onClose }: { project: Project | null; onClose: () => void }) {
  const { peopleById } = usePeople()
  const settings = useSettings()
  const dialog = useForm<ProjectForm>({
    initialValues: project
      ? {
          name: project.name,
          stage: project.stage,
          customerIds: project.customerIds,
          teamIds: project.teamIds,
        }
      : { name: '', stage: 'pre-construction', customerIds: [], teamIds: [] },
    validate: projectProblems,
  })
  const form = dialog.values
  // People added here before the directory refresh brings them in.
  const [added, setAdded] = useState<Person[]>([])
  // Portal access as the switches show it; written with the project.
  const [access, setAccess] = useState<Record<string, boolean>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [addingContact, setAddingContact] = useState(false)

  const everyone = useMemo(() => {
    const map = new Map(peopleById)
    for (const p of added) if (!map.has(p.id)) map.set(p.id, p)
    return map
  }, [peopleById, added])
  const all = [...everyone.values()].sort(byName)
  const customers = all.filter((p) => p.role === 'customer')
  const staff = all.filter((p) => p.role === 'staff' || p.role === 'admin')
  const option = (p: Person) => ({
    value: p.id,
    label: p.email ? `${p.name} (${p.email})` : p.name,
  })
  const hasAccess = (id: string) => access[id] ?? everyone.get(id)?.portalAccess ?? false
  const openStages = settings?.portalOpenStages

  const submit = async () => {
    const name = form.name.trim()
    setError(null)
    setBusy(true)
    try {
      let result: Project
      if (project) {
        const patch: Partial<ProjectForm> = {}
        if (name !== project.name) patch.name = name
        if (form.stage !== project.stage) patch.stage = form.stage
        if (!sameSet(form.customerIds, project.customerIds)) patch.customerIds = form.customerIds
        if (!sameSet(form.teamIds, project.teamIds)) patch.teamIds = form.teamIds
        result = Object.keys(patch).length
          ? await engine.updateProject({ projectId: project.id, patch })
          : project
      } else {
        result = await engine.createProject({ ...form, name })
      }
      for (const [personId, portalAccess] of Object.entries(access)) {
        if (!form.customerIds.includes(personId)) continue
        if (peopleById.get(personId)?.portalAccess === portalAccess) continue
        await engine.updatePerson({ personId, patch: { portalAccess } })
      }
      saved(
        project ? `“${result.name}” is updated.` : `“${result.name}” is created.`,
        'Project saved',
      )
      onClose()
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal
      opened
      onClose={onClose}
      title={project ? `Edit ${project.name}` : 'New project'}
      size="lg"
      closeOnClickOutside={!busy}
    >
      <form onSubmit={dialog.onSubmit(() => void submit())} noValidate>
        <Stack>
          <TextInput
            label="Project name"
            {...dialog.getInputProps('name')}
            required
            data-autofocus
          />
          <Select
            label="Stage"
            data={stages.map((s) => ({
              value: s,
              label: openStages
                ? `${stageLabel[s]}${openStages.includes(s) ? ' (portal open)' : ' (portal closed)'}`
                : stageLabel[s],
            }))}
            value={form.stage}
            onChange={(s) => s && dialog.setFieldValue('stage', s as ProjectStage)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <PeopleSelect
            {...pickerWords.customerIds}
            data={customers.map(option)}
            {...dialog.getInputProps('customerIds')}
          />
          {form.customerIds.length > 0 && (
            <Stack gap={6} data-testid="portal-access">
              <Text size="sm" fw={500}>
                Portal access
              </Text>
              {form.customerIds.map((id) => {
                const person = everyone.get(id)
                return (
                  <Switch
                    key={id}
                    label={`Portal access for ${person?.name ?? 'this customer'}`}
                    aria-label={`Portal access for ${person?.name ?? 'this customer'}`}
                    description={
                      hasAccess(id) ? undefined : 'Cannot sign in to the portal or send messages.'
                    }
                    checked={hasAccess(id)}
                    onChange={(e) => {
                      const on = e.currentTarget.checked
                      setAccess((a) => ({ ...a, [id]: on }))
                    }}
                  />
                )
              })}
            </Stack>
          )}
          {addingContact ? (
            <NewCustomerContact
              onCancel={() => setAddingContact(false)}
              onAdded={(person) => {
                setAdded((a) => [...a, person])
                dialog.setFieldValue('customerIds', (ids) => [...ids, person.id])
                setAddingContact(false)
              }}
            />
          ) : (
            <Group>
              <Button variant="subtle" size="compact-sm" onClick={() => setAddingContact(true)}>
                Add customer contact
              </Button>
            </Group>
          )}
          <PeopleSelect
            {...pickerWords.teamIds}
            data={staff.map(option)}
            {...dialog.getInputProps('teamIds')}
          />
          {error && (
            <Alert color="red" title="Not saved" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              {project ? 'Save project' : 'Create project'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}

interface ContactForm {
  name: string
  email: string
  invite: boolean
}

// The server's rules for a new person, in the sub-form's words.
const contactProblems = schemaWords<ContactForm>(
  NewPersonBody.pick({ name: true, email: true, invite: true }),
  {
    name: blankOr(
      'name',
      'Enter the customer’s name.',
      'Write the customer’s name on one line, in at most 120 characters.',
    ),
    email: 'Enter the customer’s email address, e.g. carla@example.com.',
  },
  (values) => ({ ...values, email: values.email.trim() }),
)

/** A new customer person; a sub-form, not a nested <form>, inside the project dialog. */
function NewCustomerContact({
  onAdded,
  onCancel,
}: {
  onAdded: (person: Person) => void
  onCancel: () => void
}) {
  const form = useForm<ContactForm>({
    initialValues: { name: '', email: '', invite: true },
    validate: contactProblems,
  })
  const [server, setServer] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const add = async () => {
    if (form.validate().hasErrors) return
    const { name, email, invite } = form.getValues()
    setBusy(true)
    try {
      const person = await engine.createPerson({
        role: 'customer',
        name: name.trim(),
        email: email.trim(),
        portalAccess: true,
        invite,
      })
      saved(
        invite
          ? `${person.name} is added and gets an invitation email to set a password.`
          : `${person.name} is added.`,
        'Customer contact added',
      )
      onAdded(person)
    } catch (err) {
      setServer(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  const onEnter = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      void add()
    }
  }

  return (
    <Paper withBorder p="sm" radius="md" role="group" aria-labelledby="new-customer-contact">
      <Stack gap="xs">
        <Title order={3} size="h5" id="new-customer-contact">
          New customer contact
        </Title>
        <Group grow align="flex-start">
          <TextInput
            label="Customer name"
            {...form.getInputProps('name')}
            onKeyDown={onEnter}
            required
          />
          <TextInput
            label="Customer email"
            type="email"
            {...form.getInputProps('email')}
            onKeyDown={onEnter}
            required
          />
        </Group>
        <Checkbox
          label="Send an invitation email to set a password"
          {...form.getInputProps('invite', { type: 'checkbox' })}
        />
        {server && (
          <Alert color="red" title="Customer not added" role="alert">
            {server}
          </Alert>
        )}
        <Group gap="xs">
          <Button size="compact-sm" loading={busy} onClick={() => void add()}>
            Add contact
          </Button>
          <Button size="compact-sm" variant="default" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Paper>
  )
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x))

const pickerWords = {
  customerIds: {
    label: 'Customer contacts',
    description: 'Customers who see this project’s conversations in the portal.',
    nothingFoundMessage: 'No customer with that name; add them below.',
  },
  teamIds: {
    label: 'Team members',
    description: 'Staff who take part in this project’s conversations.',
    nothingFoundMessage: 'No staff member with that name',
  },
}

/** A searchable pick of people, its list in a portal so the dialog's scroll does not clip it. */
function PeopleSelect(props: MultiSelectProps) {
  return <MultiSelect searchable comboboxProps={{ withinPortal: true }} {...props} />
}
