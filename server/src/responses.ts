import type { RouteOptions } from 'fastify'
import { ErrorBodySchema } from '../../src/shared/protocol'

/**
 * The error statuses of the API as the OpenAPI document states them: each with what it means to
 * the caller, and every one with the `{ error: { code, message, details? } }` body.
 */
const meanings = {
  400: 'The request is not valid: a parameter, the query or the body does not match its schema, the JSON is malformed, or a rule refuses it (the code says which). The message names the field.',
  401: 'Not signed in, or the session expired or was revoked: sign in again. At sign-in: the email and password do not match.',
  403: 'Signed in, but not allowed: the role, portal access, the project stage or company settings refuse it, or a request authenticated by the portal cookie came without the X-Portal-Client header.',
  404: 'Not found, or not visible to the caller.',
  409: 'Conflicts with what exists: the client id was used for other content, or the email is taken.',
  413: 'Too large: the body (512 KB for JSON), the file, the files of one message, or the project’s storage.',
  414: 'A path parameter is longer than any id can be (over 100 characters).',
  415: 'Wrong content type: send JSON (multipart/form-data for uploads), or the file type is not allowed or does not match its name.',
  429: 'Too many requests: wait as long as the message says, then try again.',
  500: 'The server failed. The message carries a reference that finds the log entry.',
} as const
export type ErrorStatus = keyof typeof meanings

const ErrorResponse = Object.fromEntries(
  Object.entries(meanings).map(([status, meaning]) => [status, ErrorBodySchema.describe(meaning)]),
) as Record<`${ErrorStatus}`, typeof ErrorBodySchema>

/** Response schemas for the errors a route's own handler can answer, to spread into `schema.response`. */
export function errorResponses<S extends ErrorStatus>(
  ...statuses: S[]
): Record<S, typeof ErrorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse[`${s}`]])) as Record<
    S,
    typeof ErrorBodySchema
  >
}

/**
 * Adds error statuses to a route's documented responses (an onRoute hook's work), keeping what the
 * route states itself. The schema is replaced, not changed in place: routes may share objects.
 */
export function documentErrors(route: RouteOptions, statuses: readonly ErrorStatus[]): void {
  const schema = route.schema ?? {}
  route.schema = {
    ...schema,
    response: { ...errorResponses(...statuses), ...(schema.response as object | undefined) },
  }
}

const bodyless = new Set(['GET', 'HEAD'])

/**
 * What any route can answer whatever its handler does, read from the route itself so that no route
 * can forget one: 500 (a failure), 400 when it validates input or reads a body, 413 and 415 when
 * its method carries a body, 414 when its path has a parameter, and 429 on every write (sign-in
 * and writes are rate limited).
 */
export function commonErrors(route: RouteOptions): ErrorStatus[] {
  const methods = [route.method].flat()
  const carriesBody = methods.some((m) => !bodyless.has(m.toUpperCase()))
  const schema = route.schema ?? {}
  const validates = Boolean(schema.params || schema.querystring || schema.body)
  const statuses: ErrorStatus[] = [500]
  if (validates || carriesBody) statuses.push(400)
  if (carriesBody) statuses.push(413, 415, 429)
  if (route.url.includes(':')) statuses.push(414)
  return statuses
}
