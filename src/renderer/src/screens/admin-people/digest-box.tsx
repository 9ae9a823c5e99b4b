// The staff digest as the server will run it: the next run on the server's clock, in the
// company's zone, to how many staff; and a preview the admin sends to themselves only.
import { Alert, Button, Group, Loader, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import type { DigestPreviewResult, DigestSchedule } from '../../../../shared/protocol'
import { engineQuery } from '../../data/queries'
import { engine, errorMessage, useEngineEvent } from '../../engine'
import { Section } from '../settings-parts'
import { useRun } from './use-run'

/** A time as the company reads it: "Tuesday, December 8, 2026, 07:00". */
function inZone(iso: string, timeZone: string): string {
  const format = (zone?: string) =>
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso))
  try {
    return format(timeZone)
  } catch {
    // A zone this browser does not know: the server's own answer is still the true time.
    return `${format('UTC')} UTC`
  }
}

function When({ iso, zone }: { iso: string; zone: string }) {
  return <time dateTime={iso}>{inZone(iso, zone)}</time>
}

function ScheduleText({ schedule }: { schedule: DigestSchedule }) {
  const zone = schedule.timezone
  if (!schedule.nextRunAt)
    return (
      <Text size="sm" data-testid="digest-next-run">
        The digest is off. Turn it on under Client Portal → Staff digest.
      </Text>
    )
  return (
    <>
      <Text size="sm" data-testid="digest-next-run">
        Next digest: <When iso={schedule.nextRunAt} zone={zone} /> ({zone}), to{' '}
        {schedule.recipients === 1 ? '1 staff member' : `${schedule.recipients} staff members`} who
        have it turned on.
      </Text>
      <Text size="xs" c="dimmed">
        By the portal server’s clock.
        {schedule.lastRunAt && (
          <>
            {' '}
            It covers what happened since <When iso={schedule.lastRunAt} zone={zone} />.
          </>
        )}
      </Text>
    </>
  )
}

export function DigestBox() {
  // Asked again each minute, so a run that came while the screen is open is not shown as next.
  const query = useQuery({ ...engineQuery('getDigestSchedule', {}), refetchInterval: 60_000 })
  // The schedule follows the company settings (another tab, another admin).
  useEngineEvent('changed', (change) => {
    if (change.settings || change.people) void query.refetch()
  })
  const [sent, setSent] = useState<DigestPreviewResult | null>(null)
  const { problem, busy, run } = useRun()
  const preview = () =>
    run(async () => {
      setSent(null)
      setSent(await engine.previewDigest({}))
    })

  return (
    <Section
      title="Staff digest"
      description="The email summary of portal activity, on the schedule set under Client Portal."
    >
      {query.isPending && <Loader size="sm" aria-label="Loading the digest schedule" />}
      {query.isError && (
        <Alert color="red" title="Digest schedule not loaded" role="alert">
          {errorMessage(query.error)}
        </Alert>
      )}
      {query.data && <ScheduleText schedule={query.data} />}
      <Group>
        <Button variant="light" loading={busy} onClick={() => void preview()}>
          Send me a preview
        </Button>
        <Text size="xs" c="dimmed">
          Only you get it: what the next digest says so far.
        </Text>
      </Group>
      {sent && (
        <Alert color="teal" title="Preview sent" role="status" data-testid="digest-preview">
          A preview went to {sent.mail.to} only, covering{' '}
          <When iso={sent.periodStart} zone={query.data?.timezone ?? 'UTC'} /> until now. Look in
          your inbox for “{sent.mail.subject}”.
        </Alert>
      )}
      {problem && (
        <Alert color="red" title="Preview not sent" role="alert">
          {problem}
        </Alert>
      )}
    </Section>
  )
}
