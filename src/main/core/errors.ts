import type { z } from 'zod'
import type { EngineErrorCode } from '../../shared/ipc'
import { errorCodes, type ErrorCode } from '../../shared/protocol'
import { ApiError } from './api'

/** A failure a person can act on; the transports send `{ code, message }` to the renderer. */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message)
  }
}

export const notSignedIn = () =>
  new EngineError('NOT_SIGNED_IN', 'Sign in to your portal server first.')

/** A thread the cache does not hold: removed, or no longer this person's to see. */
export const threadNotInInbox = () =>
  new EngineError(
    'NOT_FOUND',
    'That conversation is not in your inbox. It may have been removed or you no longer have access to it.',
  )

/**
 * A failed server call as the UI sees it: a refusal keeps the server's code and sentence; no
 * answer at all is OFFLINE, with `offline` saying what that means for this call.
 */
export function engineErrorFrom(err: unknown, offline: string): unknown {
  if (!(err instanceof ApiError)) return err
  if (err.kind === 'network') return new EngineError('OFFLINE', offline)
  const code: EngineErrorCode =
    (err.code as ErrorCode | null) ??
    (err.kind === 'server' ? 'SERVER_UNREACHABLE' : codeOfStatus(err.status))
  return new EngineError(code, err.message)
}

function codeOfStatus(status: number | null): ErrorCode {
  const found = Object.entries(errorCodes).find(([, s]) => s === status)
  return (found?.[0] as ErrorCode | undefined) ?? 'INTERNAL'
}

/** What each field of the contract's inputs is called in a sentence. */
const fieldWords: Record<string, string> = {
  body: 'the message',
  subject: 'the subject',
  serverUrl: 'the server address',
  email: 'the email address',
  password: 'the password',
  currentPassword: 'the current password',
  newPassword: 'the new password',
  name: 'the name',
  query: 'the search',
  participantIds: 'the participants',
  stagedFileIds: 'the files',
  messageIds: 'the messages',
  threadIds: 'the conversations',
}

type Issue = z.ZodError['issues'][number]

/**
 * A refused input in words for a person. The contract's schemas check what reaches the engine,
 * and zod's own text ("body: Too big: expected string to have <=100000 characters") was shown as
 * it was; this says what is wrong and what to do, and never names a method or a path.
 */
export function invalidInput(
  method: string,
  issue: Issue | undefined,
  input: unknown,
): EngineError {
  const key = issue?.path.at(-1)
  const named = typeof key === 'string' ? fieldWords[key] : undefined
  const field =
    method === 'saveDraft' && key === 'body' ? 'the draft' : (named ?? 'what was entered')
  const Field = field[0]!.toUpperCase() + field.slice(1)
  const value = issue?.path.reduce<unknown>(
    (at, step) =>
      at && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[step] : undefined,
    input,
  )
  const n = (x: number | bigint) => x.toLocaleString('en')
  let sentence = `Portal Inbox could not use ${field}. Check it and try again.`
  if (issue?.code === 'too_big' && issue.origin === 'string') {
    const length = typeof value === 'string' ? `${n(value.length)} characters` : 'too long'
    sentence =
      key === 'body' && method !== 'saveDraft'
        ? `${Field} is ${length}; Portal Inbox sends at most ${n(issue.maximum)}. Split it, or attach it as a document.`
        : `${Field} is ${length}; at most ${n(issue.maximum)} fit. Shorten it.`
  } else if (issue?.code === 'too_small' && issue.origin === 'string')
    sentence = `Write ${field} first.`
  else if (issue?.code === 'too_big' && issue.origin === 'array')
    sentence = `Too many in ${field} at once: at most ${n(issue.maximum)}.`
  else if (issue?.code === 'invalid_format')
    sentence = `Check ${field}: it is not in a form Portal Inbox knows.`
  return new EngineError('INVALID_INPUT', sentence)
}
