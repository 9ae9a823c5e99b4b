import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  MultiSelect,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  Title,
  useMantineColorScheme,
  type MantineColorScheme,
} from '@mantine/core'
import { TimeInput } from '@mantine/dates'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ChangePasswordForm } from '../../../ui/change-password'
import type { NotificationPreferences } from '../../../shared/ipc'
import { useOutbox } from '../state/activity'
import { useConnection, useMe } from '../state/connection'
import { useProjects } from '../state/directory'
import { useRoute } from '../state/route'
import { connectionLook } from '../connection'
import { engineQuery } from '../data/queries'
import { EngineCallError } from '../bridge'
import { engine, errorMessage } from '../engine'
import { fullTime, roleLabel, waitingFor } from '../format'
import { Facts, failed, saved, ScreenFrame, Section } from './settings-parts'
import { DeliverySettings } from './settings/delivery-log'
import { DesktopAlertStatus, EmailAlertSettings } from './settings/email-alerts'

/** The staff member's own settings: notifications on this computer, the account, the server. */
export function SettingsScreen() {
  return (
    <ScreenFrame
      title="Settings"
      description="These settings are yours and apply on this computer. Company-wide portal settings are under Admin."
    >
      <NotificationSettings />
      <EmailAlertSettings />
      <DeliverySettings />
      <AccountSettings />
      <ServerSettings />
      <CompanySettingsPointer />
      <AppearanceSettings />
    </ScreenFrame>
  )
}

/** Where the company-wide settings are, or who can change them. */
function CompanySettingsPointer() {
  const { isAdmin } = useMe()
  const { navigate } = useRoute()
  return (
    <Section title="Company settings">
      {isAdmin ? (
        <Group justify="space-between">
          <Text size="sm">
            Client Portal settings (Messages, portal stages, file limits, auto-reply), projects and
            customer contacts are under Admin.
          </Text>
          <Button variant="light" onClick={() => navigate({ screen: 'admin' })}>
            Open Admin
          </Button>
        </Group>
      ) : (
        <Alert color="blue" title="Only admins can change company settings">
          Whether customers can send messages, in which project stages, file limits, auto-replies,
          projects and customer contacts are set by your company’s admins. Ask one of them when a
          customer cannot send messages.
        </Alert>
      )}
    </Section>
  )
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/

/** A yes/no preference: its switch and what the confirmation says once it is saved. */
interface PreferenceSwitch {
  key: 'onlyAssignedToMe' | 'urgentAlways' | 'sound'
  label: string
  description?: string
  said: (on: boolean) => string
}
const preferenceSwitches: [PreferenceSwitch, ...PreferenceSwitch[]] = [
  {
    key: 'onlyAssignedToMe',
    label: 'Only conversations assigned to me',
    description:
      'Messages in conversations assigned to someone else, or to no one, only count on the badge.',
    said: (on) =>
      on
        ? 'You are notified only for conversations assigned to you.'
        : 'You are notified for all conversations.',
  },
  {
    key: 'urgentAlways',
    label: 'Urgent messages always notify',
    description:
      'An urgent customer message notifies even in a muted project, in quiet hours or when it is not assigned to you.',
    said: (on) =>
      on ? 'Urgent messages always notify.' : 'Urgent messages follow the same rules as others.',
  },
  {
    key: 'sound',
    label: 'Play a sound',
    said: (on) => (on ? 'Notifications play a sound.' : 'Notifications are silent.'),
  },
]

function NotificationSettings() {
  const { projects } = useProjects()
  const client = useQueryClient()
  const preferences = engineQuery('getNotificationPreferences', {})
  const loading = useQuery(preferences)
  const prefs = loading.data ?? null
  const loadError = loading.error ? errorMessage(loading.error) : null
  // A quiet-hours time as typed, kept on screen (and not saved) until it is a whole time.
  const [typed, setTyped] = useState<{ start?: string; end?: string }>({})
  const [timeErrors, setTimeErrors] = useState<{ start?: string; end?: string }>({})
  const saving = useMutation({
    mutationFn: ({ patch }: { patch: Partial<NotificationPreferences>; what: string }) =>
      engine.setNotificationPreferences(patch),
    onSuccess: (next, { what }) => {
      client.setQueryData(preferences.queryKey, next)
      saved(what, 'Notification settings saved')
    },
  })
  const saveError = saving.error ? errorMessage(saving.error) : null

  /** Shows the change at once, saves it, and puts the old value back when the engine refuses. */
  const save = (patch: Partial<NotificationPreferences>, what: string) => {
    if (!prefs) return
    const before = prefs
    client.setQueryData(preferences.queryKey, { ...prefs, ...patch })
    saving.mutate(
      { patch, what },
      {
        onError: (err) => {
          client.setQueryData(preferences.queryKey, before)
          failed('Notification settings not saved', err)
        },
      },
    )
  }

  if (loadError)
    return (
      <Section title="Notifications">
        <Alert color="red" title="Could not load your notification settings">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{loadError}</Text>
            <Button size="compact-sm" variant="light" onClick={() => void loading.refetch()}>
              Try again
            </Button>
          </Stack>
        </Alert>
      </Section>
    )
  if (!prefs)
    return (
      <Section title="Notifications">
        <Loader size="sm" aria-label="Loading notification settings" />
      </Section>
    )

  const setTime = (which: 'start' | 'end', value: string) => {
    const next = { ...prefs.quietHours, [which]: value }
    if (!HHMM.test(value)) {
      // The field keeps what the person typed; nothing is saved until it is a whole time.
      setTyped((t) => ({ ...t, [which]: value }))
      setTimeErrors((e) => ({ ...e, [which]: 'Enter a time as HH:MM, for example 22:00.' }))
      return
    }
    setTyped((t) => ({ ...t, [which]: undefined }))
    setTimeErrors((e) => ({ ...e, [which]: undefined }))
    save({ quietHours: next }, `Quiet hours ${which === 'start' ? 'start' : 'end'} at ${value}.`)
  }

  const toggle = ({ key, label, description, said }: PreferenceSwitch) => (
    <Switch
      key={key}
      label={label}
      aria-label={label}
      description={description}
      checked={prefs[key]}
      onChange={(e) => {
        const on = e.currentTarget.checked
        save({ [key]: on }, said(on))
      }}
    />
  )

  const projectOptions = projects
    .map((p) => ({ value: p.id, label: p.name }))
    .sort((a, b) => a.label.localeCompare(b.label))

  return (
    <Section
      title="Notifications"
      description="When Portal Inbox shows a desktop notification for a customer’s message. Everything else still counts on the unread badge."
    >
      <DesktopAlertStatus />
      <MultiSelect
        label="Muted projects"
        description="No notifications for messages in these projects."
        placeholder={prefs.mutedProjectIds.length ? undefined : 'No muted projects'}
        data={projectOptions}
        value={prefs.mutedProjectIds}
        onChange={(ids) =>
          save(
            { mutedProjectIds: ids },
            ids.length === 0
              ? 'No projects are muted.'
              : `${ids.length} ${ids.length === 1 ? 'project is' : 'projects are'} muted.`,
          )
        }
        searchable
        clearable
        nothingFoundMessage="No project with that name"
        comboboxProps={{ withinPortal: true }}
      />
      {toggle(preferenceSwitches[0])}
      <Stack gap={6}>
        <Switch
          label="Quiet hours"
          aria-label="Quiet hours"
          description="No notifications between these times (they may span midnight)."
          checked={prefs.quietHours.enabled}
          onChange={(e) => {
            const on = e.currentTarget.checked
            save(
              { quietHours: { ...prefs.quietHours, enabled: on } },
              on
                ? `Quiet from ${prefs.quietHours.start} to ${prefs.quietHours.end}.`
                : 'Quiet hours are off.',
            )
          }}
        />
        <Group gap="md" pl={54} align="flex-start">
          {(['start', 'end'] as const).map((which) => (
            <TimeInput
              key={which}
              label={which === 'start' ? 'Quiet from' : 'Quiet until'}
              value={typed[which] ?? prefs.quietHours[which]}
              disabled={!prefs.quietHours.enabled}
              onChange={(e) => setTime(which, e.currentTarget.value)}
              error={timeErrors[which]}
              w={160}
            />
          ))}
        </Group>
      </Stack>
      {preferenceSwitches.slice(1).map(toggle)}
      {saveError && (
        <Alert color="red" title="Not saved" role="alert">
          {saveError}
        </Alert>
      )}
    </Section>
  )
}

function AccountSettings() {
  const { me } = useMe()
  const outbox = useOutbox()
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const unsent = outbox.length

  const signOut = async () => {
    setBusy(true)
    try {
      // The connection event takes the app back to the sign-in screen.
      await engine.signOut({})
    } catch (err) {
      failed('Could not sign out', err)
      setBusy(false)
    }
  }

  return (
    <Section title="Account">
      <Facts
        rows={[
          { label: 'Name', value: me?.name ?? '—' },
          { label: 'Email', value: me?.email ?? '—' },
          { label: 'Role', value: me ? (roleLabel[me.role] ?? me.role) : '—' },
        ]}
      />
      <Text size="sm" c="dimmed">
        Your name and email are managed by your company’s admin in the portal.
      </Text>
      <Title order={3} size="h5" mt="xs">
        Password
      </Title>
      <ChangePasswordForm
        change={(currentPassword, newPassword) =>
          engine.changePassword({ currentPassword, newPassword })
        }
        errorText={errorMessage}
      />
      <Group>
        <Button
          color="red"
          variant="light"
          loading={busy}
          onClick={() => (unsent > 0 ? setConfirming(true) : void signOut())}
        >
          Sign out
        </Button>
      </Group>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Sign out?">
        <Stack>
          <Text size="sm">
            {unsent === 1 ? 'One change has' : `${unsent} changes have`} not reached the server yet.
            Signing out removes the conversations stored on this computer and discards what waits in
            the outbox.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Stay signed in
            </Button>
            <Button color="red" loading={busy} onClick={() => void signOut()}>
              Sign out and discard
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Section>
  )
}

function ServerSettings() {
  const connection = useConnection()
  const [busy, setBusy] = useState(false)
  const look = connectionLook[connection.state]

  const syncNow = async () => {
    setBusy(true)
    try {
      const after = await engine.syncNow({})
      if (after.state === 'online') saved('Your inbox is up to date.', 'Synced')
      else
        failed(
          'Not synced',
          new EngineCallError(
            'OFFLINE',
            after.reason ?? `The connection is ${connectionLook[after.state].label}.`,
          ),
        )
    } catch (err) {
      failed('Could not sync', err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Section title="Server">
      <Facts
        rows={[
          {
            label: 'Address',
            value: connection.serverUrl ?? '—',
            cell: { style: { wordBreak: 'break-all' } },
          },
          {
            label: 'Connection',
            value: (
              <Group gap="xs">
                <Badge
                  color={look.color}
                  variant="dot"
                  data-testid="settings-connection-state"
                  data-state={connection.state}
                >
                  {look.label}
                </Badge>
                {connection.reason && <Text size="sm">{connection.reason}</Text>}
              </Group>
            ),
          },
          {
            label: 'Last synced',
            value: connection.lastSyncedAt
              ? `${fullTime(connection.lastSyncedAt)} (${waitingFor(connection.lastSyncedAt)} ago)`
              : 'Not yet',
            cell: { 'data-testid': 'last-synced' },
          },
        ]}
      />
      <Group>
        <Button variant="light" loading={busy} onClick={() => void syncNow()}>
          Sync now
        </Button>
      </Group>
    </Section>
  )
}

function AppearanceSettings() {
  const { colorScheme, setColorScheme } = useMantineColorScheme()
  return (
    <Section
      title="Appearance"
      description="Light and dark follow your operating system unless you choose one here."
    >
      <SegmentedControl
        aria-label="Color scheme"
        value={colorScheme}
        onChange={(value) => setColorScheme(value as MantineColorScheme)}
        data={[
          { value: 'auto', label: 'Follow system' },
          { value: 'light', label: 'Light' },
          { value: 'dark', label: 'Dark' },
        ]}
        w="fit-content"
      />
    </Section>
  )
}
