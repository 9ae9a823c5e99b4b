import { AppError } from '../errors'

/** "40 seconds", "1 minute", "15 minutes": how long to wait, as a person says it. */
export function waitPhrase(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`
  const minutes = Math.ceil(seconds / 60)
  return `${minutes} minute${minutes === 1 ? '' : 's'}`
}

/**
 * A 429 that says what happened and when to try again. `retryAfterSeconds` in the details is
 * also sent as the Retry-After header (plugins/errors.ts), which the desktop outbox honours.
 */
export function tooMany(
  message: (wait: string) => string,
  msBeforeReset: number,
  details: Record<string, unknown> = {},
): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeReset / 1000))
  return new AppError('RATE_LIMITED', message(waitPhrase(msBeforeReset)), {
    retryAfterSeconds,
    ...details,
  })
}

/** The Retry-After of a refusal made by tooMany, or null for any other error. */
export function retryAfterOf(err: AppError): number | null {
  if (err.code !== 'RATE_LIMITED' || typeof err.details !== 'object' || err.details === null)
    return null
  const seconds = (err.details as { retryAfterSeconds?: unknown }).retryAfterSeconds
  return typeof seconds === 'number' && seconds > 0 ? seconds : null
}
