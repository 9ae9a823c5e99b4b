import { ApiError } from './api'

/** What a failed call says to the person: the server's words, else a plain try-again. */
export const errorText = (err: unknown) =>
  err instanceof ApiError || err instanceof Error
    ? err.message
    : 'Something went wrong. Please try again.'
