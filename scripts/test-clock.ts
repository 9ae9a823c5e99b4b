/**
 * `npm run test:clock`: the suites whose outcomes depend on the time, run under Debian's faketime
 * at two awkward moments, so a test that reads the wall clock, the weekday or the machine's zone
 * instead of the clock it was given fails here rather than in the evening on CI:
 * - Saturday 23:30 in UTC (outside business hours, a weekend, an hour before midnight);
 * - Monday 06:45 in Pacific/Kiritimati, UTC+14 (the local day is ahead of UTC's, before opening).
 * `npm test` stays the README's test command; .ci/run runs this after it.
 */
import { spawnSync } from 'node:child_process'

const suites = [
  // Business hours, the auto-reply, the digest schedule, mail retries.
  'tests/server/email.test.ts',
  // before:/after: dates in search, snooze and waiting views.
  'tests/server/attachments-search-triage.test.ts',
  'tests/server/messaging.test.ts',
  // The engine: outbox backoff, snooze views on its clock, insights through the handler map.
  'tests/engine',
  // Insights' local days and the snooze choices in the browser.
  'tests/ui/settings-admin-insights.test.ts',
  // Unit tests: views and insights of the cache, quiet hours, digest periods, clocks, config.
  'src/main/core',
  'server/src',
  'src/shared',
]

const moments = [
  { zone: 'UTC', at: '2026-12-05 23:30:00' },
  { zone: 'Pacific/Kiritimati', at: '2026-12-07 06:45:00' },
]

const probe = spawnSync('faketime', ['2026-12-05 23:30:00', 'date', '-u', '+%F %T'], {
  encoding: 'utf8',
})
if (probe.error || probe.status !== 0) {
  console.error(
    'faketime is not installed: `apt-get install -y faketime` (Debian/Ubuntu) or `brew install libfaketime` (macOS), then run again.',
  )
  process.exit(2)
}

let failed = 0
for (const { zone, at } of moments) {
  console.log(`\n== ${at} in ${zone} ==`)
  const run = spawnSync('faketime', [at, 'npx', 'vitest', 'run', ...suites], {
    stdio: 'inherit',
    env: { ...process.env, TZ: zone },
  })
  if (run.status !== 0) {
    failed++
    console.error(`Time-sensitive suites failed at ${at} in ${zone}.`)
  }
}
process.exit(failed ? 1 : 0)
