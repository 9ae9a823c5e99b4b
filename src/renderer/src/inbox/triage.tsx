import { Button, Group, Loader, Menu, Modal, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import dayjs from 'dayjs'
import { lazy, Suspense, useState, type ComponentType } from 'react'
import type { DateTimePickerProps } from '@mantine/dates'
import type { IpcInputs } from '../../../shared/ipc'
import type { ThreadStatus } from '../../../shared/protocol'
import { useMe } from '../state/connection'
import { usePeople } from '../state/directory'
import { useRoute } from '../state/route'
import { engine, errorMessage } from '../engine'
import { fullTime, statusLabel } from '../format'

// The date picker (@mantine/dates) is only in the snooze dialog: it loads when that first opens.
// (The picker is generic over its value type; the snooze picks one date and time.)
const DateTimePicker = lazy(() =>
  import('@mantine/dates').then((m) => ({
    default: m.DateTimePicker<'default'> as ComponentType<DateTimePickerProps>,
  })),
)

export type TriageMenu = 'assign' | 'snooze' | null

/** Snooze presets, as people say them; each returns when the thread wakes up. */
const snoozePresets = [
  { label: 'Later today (3 hours)', until: () => dayjs().add(3, 'hour') },
  {
    label: 'Tomorrow morning (8:00)',
    until: () => dayjs().add(1, 'day').hour(8).minute(0).second(0),
  },
  {
    label: 'Next week (Monday 8:00)',
    until: () =>
      dayjs()
        .add((8 - dayjs().day()) % 7 || 7, 'day')
        .hour(8)
        .minute(0)
        .second(0),
  },
] as const

type Patch = Omit<IpcInputs['updateThread'], 'threadIds'>

export async function triage(threadIds: string[], patch: Patch, done: string): Promise<void> {
  try {
    await engine.updateThread({ threadIds, ...patch })
    notifications.show({ message: done, autoClose: 2500 })
  } catch (err) {
    notifications.show({ color: 'red', title: 'Not changed', message: errorMessage(err) })
  }
}

/**
 * Marks threads unread. An open one among them is closed first: reading it on screen would clear
 * the mark again (opening a thread clears it), as in any mail client.
 */
export async function markUnread(
  threadIds: string[],
  openId: string | null,
  close: () => void,
): Promise<void> {
  if (openId && threadIds.includes(openId)) close()
  try {
    await engine.markUnread({ threadIds })
    notifications.show({
      message: threadIds.length === 1 ? 'Marked unread' : `${threadIds.length} marked unread`,
      autoClose: 2500,
    })
  } catch (err) {
    notifications.show({ color: 'red', title: 'Not changed', message: errorMessage(err) })
  }
}

const count = (ids: string[]) => (ids.length === 1 ? 'Conversation' : `${ids.length} conversations`)

/**
 * Assign, status, snooze and unread for one thread or for every selected one: the same controls
 * either way. The inbox's a and s keys open the assign and snooze menus through `menu`.
 */
export function TriageControls(props: {
  threadIds: string[]
  status?: ThreadStatus
  /** The open thread's assignee; undefined for several selected threads. */
  assigneeId?: string | null
  snoozedUntil?: string | null
  menu: TriageMenu
  onMenu: (menu: TriageMenu) => void
}) {
  const { people, peopleById } = usePeople()
  const { me } = useMe()
  const { route, openThread } = useRoute()
  const openId = route.screen === 'inbox' ? route.threadId : null
  const ids = props.threadIds
  const staff = people.filter((p) => p.role === 'staff' || p.role === 'admin')
  const [picking, setPicking] = useState(false)
  const [pickedDate, setPickedDate] = useState<string | null>(null)
  const disabled = ids.length === 0
  // The button says who has the thread, so nobody assigns what a colleague already holds.
  const assignee = props.assigneeId ? peopleById.get(props.assigneeId) : undefined

  return (
    <Group gap="xs" wrap="wrap">
      <Menu
        opened={props.menu === 'assign'}
        onChange={(open) => props.onMenu(open ? 'assign' : null)}
        position="bottom-start"
      >
        <Menu.Target>
          <Button variant="default" size="xs" disabled={disabled} data-testid="assign-button">
            {props.assigneeId
              ? `Assigned to ${assignee?.name ?? 'someone no longer in the company'}`
              : 'Assign…'}
          </Button>
        </Menu.Target>
        <Menu.Dropdown aria-label="Assign to">
          {me && (
            <Menu.Item
              disabled={props.assigneeId === me.id}
              onClick={() =>
                void triage(ids, { assigneeId: me.id }, `${count(ids)} assigned to you`)
              }
            >
              Me ({me.name})
            </Menu.Item>
          )}
          {staff
            .filter((p) => p.id !== me?.id)
            .map((p) => (
              <Menu.Item
                key={p.id}
                disabled={props.assigneeId === p.id}
                onClick={() =>
                  void triage(ids, { assigneeId: p.id }, `${count(ids)} assigned to ${p.name}`)
                }
              >
                {p.name}
              </Menu.Item>
            ))}
          <Menu.Divider />
          <Menu.Item
            disabled={props.assigneeId === null}
            onClick={() => void triage(ids, { assigneeId: null }, `${count(ids)} unassigned`)}
          >
            Nobody (unassign)
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>

      <Menu position="bottom-start">
        <Menu.Target>
          <Button variant="default" size="xs" disabled={disabled}>
            Status{props.status ? `: ${statusLabel[props.status]}` : '…'}
          </Button>
        </Menu.Target>
        <Menu.Dropdown aria-label="Set status">
          {(['open', 'waiting-on-customer', 'closed'] as const).map((status) => (
            <Menu.Item
              key={status}
              disabled={status === props.status}
              onClick={() => void triage(ids, { status }, `${count(ids)}: ${statusLabel[status]}`)}
            >
              {statusLabel[status]}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>

      <Button
        variant="default"
        size="xs"
        disabled={disabled || props.status === 'closed'}
        onClick={() => void triage(ids, { status: 'closed' }, `${count(ids)} closed`)}
      >
        Close
      </Button>

      <Menu
        opened={props.menu === 'snooze'}
        onChange={(open) => props.onMenu(open ? 'snooze' : null)}
        position="bottom-start"
      >
        <Menu.Target>
          <Button variant="default" size="xs" disabled={disabled}>
            {props.snoozedUntil ? `Snoozed until ${fullTime(props.snoozedUntil)}` : 'Snooze…'}
          </Button>
        </Menu.Target>
        <Menu.Dropdown aria-label="Snooze until">
          {snoozePresets.map((preset) => (
            <Menu.Item
              key={preset.label}
              onClick={() => {
                const until = preset.until()
                void triage(
                  ids,
                  { snoozedUntil: until.toISOString() },
                  `${count(ids)} snoozed until ${fullTime(until.toISOString())}`,
                )
              }}
            >
              {preset.label}
            </Menu.Item>
          ))}
          <Menu.Item onClick={() => setPicking(true)}>Pick a date and time…</Menu.Item>
          {props.snoozedUntil && (
            <>
              <Menu.Divider />
              <Menu.Item
                onClick={() =>
                  void triage(ids, { snoozedUntil: null }, `${count(ids)} back in the inbox`)
                }
              >
                Unsnooze
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>

      <Button
        variant="default"
        size="xs"
        disabled={disabled}
        onClick={() => void markUnread(ids, openId, () => openThread(null))}
      >
        Mark unread
      </Button>

      <Modal opened={picking} onClose={() => setPicking(false)} title="Snooze until">
        <Stack>
          <Suspense fallback={<Loader role="status" aria-label="Loading" />}>
            <DateTimePicker
              label="Wake up on"
              placeholder="Pick a date and time"
              value={pickedDate}
              onChange={(v) => setPickedDate(v)}
              minDate={dayjs().format('YYYY-MM-DD')}
              valueFormat="ddd, MMM D, YYYY HH:mm"
              popoverProps={{ withinPortal: false }}
            />
          </Suspense>
          <Text size="sm" c="dimmed">
            The conversation leaves the inbox until then, and comes back sooner if the customer
            writes.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPicking(false)}>
              Cancel
            </Button>
            <Button
              disabled={!pickedDate || !dayjs(pickedDate).isAfter(dayjs())}
              onClick={() => {
                const until = dayjs(pickedDate).toISOString()
                setPicking(false)
                void triage(
                  ids,
                  { snoozedUntil: until },
                  `${count(ids)} snoozed until ${fullTime(until)}`,
                )
              }}
            >
              Snooze
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  )
}
