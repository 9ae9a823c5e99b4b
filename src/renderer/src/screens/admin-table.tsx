import { Paper, Table, Text, VisuallyHidden } from '@mantine/core'
import type { ReactNode } from 'react'

/**
 * The table of an Admin tab (Projects, People): its columns, a last one for the row's actions,
 * and when there are no rows, a sentence saying why and what to do instead of an empty grid.
 */
export function AdminTable({
  label,
  columns,
  empty,
  children,
}: {
  label: string
  columns: string[]
  /** What to say when there are no rows; null when there are. */
  empty: string | null
  children: ReactNode
}) {
  return (
    <Paper withBorder radius="md" style={{ overflowX: 'auto' }}>
      <Table highlightOnHover verticalSpacing="sm" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column}>{column}</Table.Th>
            ))}
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {empty !== null && (
            <Table.Tr>
              <Table.Td colSpan={columns.length + 1}>
                <Text size="sm" c="dimmed">
                  {empty}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {children}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}
