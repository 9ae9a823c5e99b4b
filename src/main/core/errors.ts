import type { EngineErrorCode } from '../../shared/ipc'

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
