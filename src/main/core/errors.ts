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
