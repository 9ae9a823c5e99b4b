import {
  Alert,
  Badge,
  Button,
  CloseButton,
  Divider,
  Drawer,
  Group,
  Select,
  Stack,
  Text,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import type { InboxThread } from '../../../shared/ipc'
import type { Person } from '../../../shared/protocol'
import { usePeople, useProjects, useSettings } from '../state/directory'
import { engine, errorMessage } from '../engine'
import { roleIn } from '../format'
import { InviteByEmail } from './invite-by-email'
import { WhoIsNotified } from './who-is-notified'

/**
 * Who is in the conversation, and who may be added: team members, the project's customer
 * contacts, and subcontractors when the company allows them (Admin → Client Portal); and
 * someone from outside, invited by email. A person who has not set a password yet is said to be
 * not signed in yet (Person.passwordSet, which the server tells staff).
 */
export function ParticipantsDrawer({
  thread,
  opened,
  onClose,
}: {
  thread: InboxThread
  opened: boolean
  onClose: () => void
}) {
  const { people, peopleById } = usePeople()
  const { projectsById } = useProjects()
  const settings = useSettings()
  const [adding, setAdding] = useState<string | null>(null)
  const project = projectsById.get(thread.projectId)
  const subcontractorsAllowed =
    settings && 'subcontractorsAllowed' in settings ? settings.subcontractorsAllowed : false
  const inThread = new Set(thread.participantIds)
  const candidates = people.filter((p) => {
    if (inThread.has(p.id)) return false
    if (p.role === 'staff' || p.role === 'admin') return true
    if (p.role === 'customer') return project?.customerIds.includes(p.id) ?? false
    return subcontractorsAllowed
  })
  const groups = (['staff', 'customer', 'subcontractor'] as const)
    .map((role) => ({
      group:
        role === 'staff'
          ? 'Team members'
          : role === 'customer'
            ? 'Customer contacts'
            : 'Subcontractors',
      items: candidates
        .filter((p) =>
          role === 'staff' ? p.role === 'staff' || p.role === 'admin' : p.role === role,
        )
        .map((p) => ({ value: p.id, label: p.name })),
    }))
    .filter((g) => g.items.length)

  const add = async () => {
    if (!adding) return
    try {
      await engine.addParticipant({ threadId: thread.id, userId: adding })
      setAdding(null)
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not added', message: errorMessage(err) })
    }
  }
  const remove = async (person: Person) => {
    try {
      await engine.removeParticipant({ threadId: thread.id, userId: person.id })
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not removed', message: errorMessage(err) })
    }
  }

  return (
    <Drawer opened={opened} onClose={onClose} title="Participants" position="right">
      <Stack>
        <Stack gap={6} role="list" aria-label="Participants">
          {thread.participantIds.map((id) => {
            const person = peopleById.get(id)
            return (
              <Group key={id} justify="space-between" role="listitem" wrap="nowrap">
                <Group gap={6} wrap="wrap">
                  <Text size="sm">{person?.name ?? 'Former member'}</Text>
                  {person && (
                    <Badge size="xs" variant="light">
                      {roleIn(person, project)}
                    </Badge>
                  )}
                  {person?.passwordSet === false && (
                    <Badge size="xs" variant="outline" color="gray">
                      Not signed in yet
                    </Badge>
                  )}
                </Group>
                {person && id !== thread.createdById && (
                  <CloseButton
                    size="sm"
                    aria-label={`Remove ${person.name}`}
                    onClick={() => void remove(person)}
                  />
                )}
              </Group>
            )
          })}
        </Stack>
        {!subcontractorsAllowed && (
          <Alert color="gray" py={6}>
            Subcontractors can be added once an admin allows them (Admin → Client Portal).
          </Alert>
        )}
        <Select
          label="Add someone"
          placeholder={groups.length ? 'Pick a person' : 'Everyone who can be added is here'}
          data={groups}
          value={adding}
          onChange={setAdding}
          searchable
          nothingFoundMessage="Nobody by that name can be added"
          comboboxProps={{ withinPortal: false }}
        />
        <Button onClick={() => void add()} disabled={!adding}>
          Add to the conversation
        </Button>
        <Divider my="xs" />
        <WhoIsNotified threadId={thread.id} />
        <Divider my="xs" />
        <InviteByEmail thread={thread} project={project} />
      </Stack>
    </Drawer>
  )
}
