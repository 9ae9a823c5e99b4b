import { statusOf, type ErrorCode } from '../../src/shared/protocol'

/** The one error type routes throw; the error handler turns it into `{ error: { code, message, details } }`. */
export class AppError extends Error {
  readonly statusCode: number
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.statusCode = statusOf(code)
  }
}

export const notFound = (what: string) =>
  new AppError('NOT_FOUND', `${what} was not found, or you do not have access to it.`)
export const forbidden = (message: string) => new AppError('FORBIDDEN', message)
