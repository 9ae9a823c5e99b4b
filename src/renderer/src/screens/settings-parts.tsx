// Pieces the Settings, Admin and Insights screens share: the page frame, a titled section, and the
// confirmations a person sees after a save (or the engine's sentence when it failed).
import { Box, Paper, Stack, Table, Text, Title, type TableTdProps } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useId, type ReactNode } from 'react'
import { errorMessage } from '../engine'

/** One screen of the main area: a heading and its content (the shell scrolls and pads it). */
export function ScreenFrame({
  title,
  description,
  actions,
  children,
  maw = 880,
}: {
  title: string
  description?: ReactNode
  actions?: ReactNode
  children: ReactNode
  maw?: number
}) {
  return (
    <Stack gap="lg" maw={maw}>
      <Box>
        <Box style={{ display: 'flex', alignItems: 'center', gap: 16, flexWrap: 'wrap' }}>
          <Title order={1} size="h2" style={{ flex: 1 }}>
            {title}
          </Title>
          {actions}
        </Box>
        {description && (
          <Text c="dimmed" size="sm" mt={4}>
            {description}
          </Text>
        )}
      </Box>
      {children}
    </Stack>
  )
}

/** A titled part of a screen; the heading names the region for screen readers. */
export function Section({
  title,
  description,
  children,
}: {
  title: string
  description?: ReactNode
  children: ReactNode
}) {
  const id = useId()
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Box>
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {description && (
            <Text c="dimmed" size="sm">
              {description}
            </Text>
          )}
        </Box>
        {children}
      </Stack>
    </Paper>
  )
}

/** A short "done" that goes away by itself. */
export function saved(message: string, title = 'Saved'): void {
  notifications.show({ title, message, color: 'teal', autoClose: 3000 })
}

/** The engine's sentence for a failure; it says what happened and what to do next. */
export function failed(title: string, err: unknown): void {
  notifications.show({ title, message: errorMessage(err), color: 'red', autoClose: 8000 })
}

/** A few facts, one a row: the label on the left, the value beside it. */
export function Facts({
  rows,
}: {
  rows: { label: string; value: ReactNode; cell?: TableTdProps & { 'data-testid'?: string } }[]
}) {
  return (
    <Table variant="vertical" layout="fixed" withTableBorder={false} maw={640}>
      <Table.Tbody>
        {rows.map(({ label, value, cell }, i) => (
          <Table.Tr key={label}>
            <Table.Th w={i === 0 ? 120 : undefined}>{label}</Table.Th>
            <Table.Td {...cell}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
