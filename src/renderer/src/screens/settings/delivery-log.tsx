// Settings → Email delivery: "Send me a test", followed live until the mail is sent, failed or
// bounced, and the delivery log (the mail sent to me; admins pick anyone in the company).
import { Alert, Badge, Button, Group, Loader, Select, Table, Text } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { MailLogEntry } from '../../../../shared/protocol'
import { engineKey, engineQuery } from '../../data/queries'
import { engine } from '../../engine'
import { fullTime } from '../../format'
import { useMe } from '../../state/connection'
import { usePeople } from '../../state/directory'
import { useRun } from '../admin-people/use-run'
import { Section } from '../settings-parts'
import { LoadProblem } from './email-alerts'
import { kindLabel, refetchWhilePending, statusLook, testOutcome } from './mail-words'

/** One person's log, or mine: asked again every 2 s while a mail in it is on its way. */
function useMailLog(personId: string | null) {
  // Both queries exist (hooks cannot be chosen); only the one shown is asked.
  const mine = useQuery({
    ...engineQuery('myMail', {}),
    retry: false,
    refetchInterval: (q) => refetchWhilePending(q.state.data),
    enabled: personId === null,
  })
  const theirs = useQuery({
    ...engineQuery('personMail', { personId: personId ?? '' }),
    retry: false,
    refetchInterval: (q) => refetchWhilePending(q.state.data),
    enabled: personId !== null,
  })
  return personId === null ? mine : theirs
}

export function DeliverySettings() {
  const { me, isAdmin } = useMe()
  const { people } = usePeople()
  const client = useQueryClient()
  const [personId, setPersonId] = useState<string | null>(null)
  const [testId, setTestId] = useState<string | null>(null)
  const { problem, busy, run } = useRun()
  const mine = useMailLog(null)
  const shown = useMailLog(personId)
  // The test mail as the log has it now (the log is asked again until it is done).
  const test = testId ? mine.data?.find((m) => m.id === testId) : undefined

  const sendTest = () =>
    run(async () => {
      const queued = await engine.sendTestMail({})
      setTestId(queued.id)
      client.setQueryData(engineKey('myMail', {}), (log: MailLogEntry[] | undefined) => [
        queued,
        ...(log ?? []).filter((m) => m.id !== queued.id),
      ])
      void client.invalidateQueries({ queryKey: engineKey('myMail') })
      void client.invalidateQueries({ queryKey: engineKey('personMail') })
    })

  const whose = personId ? (people.find((p) => p.id === personId)?.name ?? 'this person') : 'you'
  const options = people
    .filter((p) => p.id !== me?.id)
    .map((p) => ({ value: p.id, label: `${p.name} (${p.email})` }))
    .sort((a, b) => a.label.localeCompare(b.label))

  return (
    <Section
      title="Email delivery"
      description="What became of the mail the portal server sent: queued, retrying, sent, failed or bounced, with the mail servers’ reason."
    >
      <Group align="flex-start">
        <Button variant="light" loading={busy} onClick={() => void sendTest()}>
          Send me a test
        </Button>
        <Text size="sm" c="dimmed" maw={520}>
          Sends a test mail to {me?.email ?? 'your address'} and shows here whether it went out.
        </Text>
      </Group>
      {problem && (
        <Alert color="red" title="No test mail sent" role="alert">
          {problem}
        </Alert>
      )}
      {test && (
        <Alert
          color={statusLook[test.status].color}
          title={`Test mail: ${statusLook[test.status].label}`}
          data-testid="test-mail-outcome"
          data-status={test.status}
          role="status"
        >
          {testOutcome(test)}
        </Alert>
      )}
      {isAdmin && (
        <Select
          label="Whose mail"
          description="As an admin you can see the mail sent to anyone in your company."
          placeholder="My mail"
          data={options}
          value={personId}
          onChange={setPersonId}
          searchable
          clearable
          nothingFoundMessage="Nobody with that name"
          comboboxProps={{ withinPortal: true }}
          maw={420}
        />
      )}
      <Group>
        <Button
          size="compact-sm"
          variant="default"
          loading={shown.isFetching}
          onClick={() => void shown.refetch()}
        >
          Check again
        </Button>
        <Text size="xs" c="dimmed">
          A bounce can come back later, after a mail shows as sent.
        </Text>
      </Group>
      {shown.error ? (
        <LoadProblem
          title="Could not load the delivery log"
          problem={(shown.error as Error).message}
          retry={() => void shown.refetch()}
        />
      ) : !shown.data ? (
        <Loader size="sm" aria-label="Loading the delivery log" />
      ) : shown.data.length === 0 ? (
        <Text size="sm" data-testid="delivery-log-empty">
          No mail has been sent to {whose} yet.
        </Text>
      ) : (
        <MailTable mail={shown.data} whose={whose} />
      )}
    </Section>
  )
}

function MailTable({ mail, whose }: { mail: MailLogEntry[]; whose: string }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label={`Mail sent to ${whose}`} verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Mail</Table.Th>
            <Table.Th>What became of it</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {mail.map((m) => (
            <Table.Tr key={m.id} data-status={m.status} aria-label={m.subject}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{fullTime(m.createdAt)}</Table.Td>
              <Table.Td>
                <Text size="sm">{m.subject}</Text>
                <Text size="xs" c="dimmed">
                  {kindLabel(m.kind)} to {m.to}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={statusLook[m.status].color} variant="light">
                  {statusLook[m.status].label}
                </Badge>
                {m.problem && (
                  <Text size="xs" mt={2} style={{ wordBreak: 'break-word' }}>
                    {m.problem}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
