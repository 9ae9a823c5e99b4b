/**
 * Dates and times written in a named zone, whatever zone the machine is in: what a document the
 * engine writes says must not change with the laptop that wrote it (or the test machine's TZ).
 */

/** "Mon, Dec 7, 2026 at 10:20", as the inbox writes a message's time. */
export function timeWords(timeZone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
  return (iso) => {
    const parts = partsOf(format, iso)
    return `${parts.weekday}, ${parts.month} ${parts.day}, ${parts.year} at ${parts.hour}:${parts.minute}`
  }
}

/** "2026-12-07": the day of an instant in a zone. */
export function dayIn(iso: string, timeZone: string): string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
  const parts = partsOf(format, iso)
  return `${parts.year}-${parts.month}-${parts.day}`
}

/** Whether Intl knows the zone's name ("America/Denver" yes, "Mars/Olympus" no). */
export function isKnownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

function partsOf(format: Intl.DateTimeFormat, iso: string): Record<string, string> {
  return Object.fromEntries(format.formatToParts(Date.parse(iso)).map((p) => [p.type, p.value]))
}
