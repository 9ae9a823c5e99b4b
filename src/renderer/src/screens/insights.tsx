import { BarChart } from '@mantine/charts'
import {
  Alert,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import dayjs from 'dayjs'
import { useId, useMemo, useState } from 'react'
import type { Insights } from '../../../shared/ipc'
import { useProjects } from '../state/directory'
import { engineQuery } from '../data/queries'
import { errorMessage } from '../engine'
import { ScreenFrame, Section } from './settings-parts'

const ALL = 'all'

/** "2 h 15 min", "45 min", "3 d 4 h"; "—" when nothing was answered in the range. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return '—'
  const m = Math.round(minutes)
  if (m < 1) return 'under 1 min'
  if (m < 60) return `${m} min`
  const days = Math.floor(m / (24 * 60))
  const hours = Math.floor((m % (24 * 60)) / 60)
  const rest = m % 60
  if (days > 0) return hours ? `${days} d ${hours} h` : `${days} d`
  return rest ? `${hours} h ${rest} min` : `${hours} h`
}

/** How the team answers customers, from the conversations cached on this computer. */
export function InsightsScreen() {
  const { projects } = useProjects()
  const [days, setDays] = useState('30')
  const [projectId, setProjectId] = useState<string>(ALL)
  const insights = useQuery({
    ...engineQuery('insights', { days: Number(days), ...(projectId !== ALL && { projectId }) }),
    // The last answer stays on screen while another range or project is computed.
    placeholderData: keepPreviousData,
    // The range ends now: computed again each time the screen opens.
    staleTime: 0,
  })
  const data = insights.data ?? null
  const error = insights.error ? errorMessage(insights.error) : null
  const loading = insights.isFetching

  const projectOptions = useMemo(
    () => [
      { value: ALL, label: 'All projects' },
      ...[...projects]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((p) => ({ value: p.id, label: p.name })),
    ],
    [projects],
  )

  return (
    <ScreenFrame
      title="Insights"
      description="Computed on this computer from your cached conversations; works offline."
      maw={1100}
    >
      <Group align="flex-end" gap="md">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="insights-range-label">
            Range
          </Text>
          <SegmentedControl
            aria-labelledby="insights-range-label"
            value={days}
            onChange={setDays}
            data={[
              { value: '7', label: '7 days' },
              { value: '30', label: '30 days' },
              { value: '90', label: '90 days' },
            ]}
          />
        </Stack>
        <Select
          label="Project"
          data={projectOptions}
          value={projectId}
          onChange={(v) => setProjectId(v ?? ALL)}
          allowDeselect={false}
          searchable
          w={280}
        />
        {loading && data && <Loader size="xs" aria-label="Updating insights" />}
      </Group>

      {error && (
        <Alert color="red" title="Could not compute insights" role="alert">
          {error}
        </Alert>
      )}
      {!data && !error && <Loader size="sm" aria-label="Computing insights" />}
      {data && <InsightsBody data={data} showProjects={projectId === ALL} />}
    </ScreenFrame>
  )
}

function InsightsBody({ data, showProjects }: { data: Insights; showProjects: boolean }) {
  const chartTitle = useId()
  const fromCustomers = data.messagesPerDay.reduce((n, d) => n + d.customer, 0)
  const fromStaff = data.messagesPerDay.reduce((n, d) => n + d.staff, 0)
  const chartData = data.messagesPerDay.map((d) => ({
    ...d,
    label: dayjs(d.day).format('MMM D'),
  }))
  // `to` is the midnight that ends the last day.
  const range = `${dayjs(data.from).format('MMM D')} – ${dayjs(data.to).subtract(1, 'minute').format('MMM D, YYYY')}`

  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Stat
          label="Median first response"
          value={formatMinutes(data.medianFirstResponseMinutes)}
          hint={
            data.medianFirstResponseMinutes === null
              ? 'No customer message was answered in this range.'
              : 'From a customer’s message to the first staff answer.'
          }
          testId="stat-first-response"
        />
        <Stat
          label="Waiting for an answer"
          value={data.waiting.toLocaleString()}
          hint={
            data.waiting === 1 ? 'Conversation waits on us now.' : 'Conversations wait on us now.'
          }
          testId="stat-waiting"
        />
        <Stat
          label="Messages in range"
          value={(fromCustomers + fromStaff).toLocaleString()}
          hint={`${fromCustomers.toLocaleString()} from customers, ${fromStaff.toLocaleString()} from staff.`}
          testId="stat-messages"
        />
      </SimpleGrid>

      <Paper withBorder p="md" radius="md" component="figure" m={0} aria-labelledby={chartTitle}>
        <Title order={2} size="h4" id={chartTitle} component="figcaption" mb="sm">
          Messages per day ({range})
        </Title>
        <BarChart
          h={260}
          data={chartData}
          dataKey="label"
          type="stacked"
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          series={[
            { name: 'customer', label: 'From customers', color: 'blue.7' },
            { name: 'staff', label: 'From staff', color: 'teal.7' },
          ]}
          tickLine="y"
          gridAxis="y"
          yAxisProps={{ allowDecimals: false }}
          data-testid="messages-per-day"
        />
      </Paper>

      {showProjects && (
        <Section title="By project">
          <BreakdownTable
            words={breakdownWords.project}
            rows={data.byProject.map((p) => breakdownRow(p.projectId, p.name, p.messages, p))}
          />
        </Section>
      )}

      <Section
        title="By staff member"
        description="Replies are staff messages to customers (internal notes not counted); waiting counts conversations assigned to the person that wait for an answer now."
      >
        <BreakdownTable
          words={breakdownWords.staff}
          rows={data.byStaff.map((s) => breakdownRow(s.userId, s.name, s.replies, s))}
        />
      </Section>
    </Stack>
  )
}

function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string
  value: string
  hint: string
  testId: string
}) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.3} data-testid={`${testId}-value`}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Paper>
  )
}

interface BreakdownRow {
  key: string
  name: string
  count: number
  medianMinutes: number | null
  waiting: number
}

const breakdownRow = (
  key: string,
  name: string,
  count: number,
  times: { medianFirstResponseMinutes: number | null; waiting: number },
): BreakdownRow => ({
  key,
  name,
  count,
  medianMinutes: times.medianFirstResponseMinutes,
  waiting: times.waiting,
})

/** One breakdown (by project, by staff member): a name, a count, the median first response, waiting. */
const breakdownWords = {
  project: { label: 'By project', first: 'Project', count: 'Messages' },
  staff: { label: 'By staff member', first: 'Staff member', count: 'Replies' },
}

function BreakdownTable({
  words,
  rows,
}: {
  words: (typeof breakdownWords)[keyof typeof breakdownWords]
  rows: BreakdownRow[]
}) {
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table striped tabularNums aria-label={words.label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{words.first}</Table.Th>
            <Table.Th ta="right">{words.count}</Table.Th>
            <Table.Th ta="right">Median first response</Table.Th>
            <Table.Th ta="right">Waiting</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && <EmptyRow cols={4} />}
          {rows.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Td>{row.name}</Table.Td>
              <Table.Td ta="right">{row.count.toLocaleString()}</Table.Td>
              <Table.Td ta="right">{formatMinutes(row.medianMinutes)}</Table.Td>
              <Table.Td ta="right">{row.waiting.toLocaleString()}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

function EmptyRow({ cols }: { cols: number }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={cols}>
        <Text size="sm" c="dimmed">
          Nothing in this range.
        </Text>
      </Table.Td>
    </Table.Tr>
  )
}
