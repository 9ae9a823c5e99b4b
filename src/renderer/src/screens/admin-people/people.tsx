// Admin → People: staff, customers and subcontractors as the cache holds them (the change feed
// brings every admin's change), with what an admin does for one person: invite, correct the name
// or email, portal access on and off, resend the invitation, sign them out everywhere.
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core'
import { useMemo, useState } from 'react'
import type { Person } from '../../../../shared/protocol'
import { engine } from '../../engine'
import { useConnection, useMe } from '../../state/connection'
import { usePeople } from '../../state/directory'
import { failed, saved } from '../settings-parts'
import { DigestBox } from './digest-box'
import { EditDialog, InviteDialog } from './person-forms'
import {
  hasPortalRole,
  roleFilters,
  roleLabel,
  shown,
  signInState,
  STAFF_NOT_DEACTIVATED,
  type RoleFilter,
} from './words'
import { AdminTable } from '../admin-table'

type Dialog = { kind: 'invite' } | { kind: 'edit' | 'sign-out'; person: Person } | null

export function PeopleAdmin() {
  const { people } = usePeople()
  const connection = useConnection()
  const [filter, setFilter] = useState<RoleFilter>('all')
  const [search, setSearch] = useState('')
  const [dialog, setDialog] = useState<Dialog>(null)
  const listed = useMemo(
    () =>
      people.filter((p) => shown(p, filter, search)).sort((a, b) => a.name.localeCompare(b.name)),
    [people, filter, search],
  )
  const close = () => setDialog(null)

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={620}>
          To deactivate a customer or subcontractor, turn their portal access off: they are signed
          out everywhere and the reply addresses in their mail stop working. {STAFF_NOT_DEACTIVATED}
        </Text>
        <Button onClick={() => setDialog({ kind: 'invite' })}>Invite person</Button>
      </Group>
      {connection.state !== 'online' && (
        <Alert color="yellow" title="Not connected">
          People are changed on the portal server; saving waits until Portal Inbox is online again.
        </Alert>
      )}
      <Group>
        <SegmentedControl
          aria-label="Show"
          data={roleFilters}
          value={filter}
          onChange={(v) => setFilter(v as RoleFilter)}
        />
        <TextInput
          aria-label="Search people"
          placeholder="Search by name or email"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
        />
      </Group>
      <AdminTable
        label="People"
        columns={['Name', 'Email', 'Role', 'Portal access', 'Sign-in']}
        empty={
          listed.length > 0
            ? null
            : people.length === 0
              ? 'No people yet. Invite one with “Invite person”.'
              : 'Nobody matches. Clear the search or show everyone.'
        }
      >
        {listed.map((person) => (
          <PersonRow key={person.id} person={person} open={setDialog} />
        ))}
      </AdminTable>
      <DigestBox />
      {dialog?.kind === 'invite' && <InviteDialog onClose={close} />}
      {dialog?.kind === 'edit' && <EditDialog person={dialog.person} onClose={close} />}
      {dialog?.kind === 'sign-out' && <SignOutDialog person={dialog.person} onClose={close} />}
    </Stack>
  )
}

/** Runs one action of a row, saying how it went; busy while it runs. */
function useAction() {
  const [busy, setBusy] = useState<string | null>(null)
  const act = async (name: string, title: string, run: () => Promise<string>) => {
    setBusy(name)
    try {
      saved(await run(), title)
    } catch (err) {
      failed(`${title}: not done`, err)
    } finally {
      setBusy(null)
    }
  }
  return { busy, act }
}

function PersonRow({ person, open }: { person: Person; open: (d: Dialog) => void }) {
  const { me } = useMe()
  const { busy, act } = useAction()
  const self = me?.id === person.id
  const notSignedIn = person.passwordSet === false

  const setAccess = (portalAccess: boolean) =>
    act('access', 'Portal access', async () => {
      await engine.updatePerson({ personId: person.id, patch: { portalAccess } })
      return portalAccess
        ? `${person.name} can sign in to the portal again.`
        : `${person.name} cannot sign in to the portal any more and was signed out everywhere.`
    })
  const resend = () =>
    act('resend', 'Invitation sent', async () => {
      const p = await engine.resendInvitation({ personId: person.id })
      return `A new invitation went to ${p.email}; its link works for 14 days.`
    })

  return (
    <Table.Tr data-person-id={person.id}>
      <Table.Td>
        <Text fw={600} size="sm">
          {person.name}
          {self && (
            <Badge ml="xs" size="xs" variant="light">
              You
            </Badge>
          )}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{person.email ?? '—'}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{roleLabel[person.role]}</Text>
      </Table.Td>
      <Table.Td>
        {hasPortalRole(person) ? (
          <Switch
            aria-label={`Portal access for ${person.name}`}
            label={person.portalAccess ? 'On' : 'Off'}
            checked={person.portalAccess}
            disabled={busy === 'access'}
            onChange={(e) => void setAccess(e.currentTarget.checked)}
          />
        ) : (
          <Text size="sm" c="dimmed">
            Staff: always
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {notSignedIn ? (
          <Badge color="yellow" variant="light">
            {signInState(person)}
          </Badge>
        ) : (
          <Text size="sm">{signInState(person)}</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap" justify="flex-end">
          {notSignedIn && (
            <Button
              size="compact-sm"
              variant="subtle"
              loading={busy === 'resend'}
              onClick={() => void resend()}
              aria-label={`Resend invitation to ${person.name}`}
            >
              Resend invitation
            </Button>
          )}
          {!self && (
            <Button
              size="compact-sm"
              variant="subtle"
              color="red"
              onClick={() => open({ kind: 'sign-out', person })}
              aria-label={`Sign ${person.name} out everywhere`}
            >
              Sign out everywhere
            </Button>
          )}
          <Button
            size="compact-sm"
            variant="light"
            onClick={() => open({ kind: 'edit', person })}
            aria-label={`Edit ${person.name}`}
          >
            Edit
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  )
}

function SignOutDialog({ person, onClose }: { person: Person; onClose: () => void }) {
  const { busy, act } = useAction()
  const signOut = () =>
    act('sign-out', 'Signed out everywhere', async () => {
      const { sessionsEnded } = await engine.signOutPerson({ personId: person.id })
      onClose()
      return sessionsEnded === 0
        ? `${person.name} was not signed in anywhere.`
        : `${person.name} was signed out on ${sessionsEnded === 1 ? '1 device' : `${sessionsEnded} devices`}.`
    })
  return (
    <Modal opened onClose={onClose} title={`Sign ${person.name} out everywhere?`}>
      <Stack>
        <Text size="sm">
          Every session of {person.name} ends now, in Portal Inbox and in the portal. They can sign
          in again with their password.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy !== null}>
            Cancel
          </Button>
          <Button color="red" loading={busy !== null} onClick={() => void signOut()}>
            Sign out everywhere
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
