import { Kbd, Modal, Table } from '@mantine/core'

/** Every keyboard shortcut, as the ? sheet lists it. Handlers live with the screen they act on. */
export const shortcuts = [
  { keys: ['j'], what: 'Next conversation' },
  { keys: ['k'], what: 'Previous conversation' },
  { keys: ['Enter'], what: 'Open the selected conversation' },
  { keys: ['x'], what: 'Select or unselect the conversation (for actions on several)' },
  { keys: ['r'], what: 'Reply' },
  { keys: ['n'], what: 'New conversation' },
  { keys: ['a'], what: 'Assign' },
  { keys: ['e'], what: 'Close the conversation' },
  { keys: ['s'], what: 'Snooze' },
  { keys: ['u'], what: 'Mark unread' },
  { keys: ['/'], what: 'Search' },
  { keys: ['Ctrl/⌘', 'K'], what: 'Quick search' },
  { keys: ['Ctrl/⌘', 'Enter'], what: 'Send (in the composer)' },
  { keys: ['Esc'], what: 'Leave the composer or close a dialog' },
  { keys: ['?'], what: 'This list' },
] as const

export function ShortcutSheet({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="lg">
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Keys</Table.Th>
            <Table.Th>Action</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shortcuts.map((s) => (
            <Table.Tr key={s.what}>
              <Table.Td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' + '}
                    <Kbd>{k}</Kbd>
                  </span>
                ))}
              </Table.Td>
              <Table.Td>{s.what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  )
}
