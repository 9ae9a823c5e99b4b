import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod'
import { statusOf, type ErrorBody, type ErrorCode } from '../../../src/shared/protocol'
import { AppError } from '../errors'
import { retryAfterOf } from '../limits/refusal'
import { commonErrors, documentErrors } from '../responses'

const frameworkCodes: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message:
      'Send JSON with "Content-Type: application/json" (or multipart/form-data for file uploads).',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request body is too large. Attach big content as a file instead.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'MALFORMED_JSON',
    message: 'The request says it is JSON but has no body. Send a JSON object.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'MALFORMED_JSON',
    message: 'The request body is not valid JSON. Check quotes, commas and brackets.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'VALIDATION_FAILED',
    message: 'The Content-Length header does not match the body.',
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Upload files as multipart/form-data with the file in a field named "file".',
  },
  FST_REQ_FILE_TOO_LARGE: {
    code: 'FILE_TOO_LARGE',
    message: 'The file is larger than the upload limit.',
  },
  FST_FILES_LIMIT: { code: 'TOO_MANY_FILES', message: 'Upload one file per request.' },
  FST_PARTS_LIMIT: {
    code: 'TOO_MANY_FILES',
    message: 'Upload one file per request, with no other form fields.',
  },
  FST_FIELDS_LIMIT: {
    code: 'VALIDATION_FAILED',
    message: 'Upload one file per request, with no other form fields.',
  },
  FST_PROTO_VIOLATION: {
    code: 'VALIDATION_FAILED',
    message: 'The form field names are not allowed.',
  },
  FST_ERR_VALIDATION: { code: 'VALIDATION_FAILED', message: 'The request is not valid.' },
  FST_ERR_BAD_URL: {
    code: 'VALIDATION_FAILED',
    message: 'The address is not valid: a part of it is not correctly percent-encoded.',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'URI_TOO_LONG',
    message:
      'A part of the address is over 100 characters, longer than any id. Check the link or the id you sent.',
  },
}

/**
 * busboy reports a broken multipart body (no boundary, a boundary too long to search for, a body
 * cut off before its closing boundary) with plain Errors that carry no code: the client's fault.
 */
const malformedMultipart =
  /^(Multipart: Boundary not found|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data|The needle cannot (be an empty|have a length bigger than))/

/** What a person reads when the server failed: try again, and a reference that finds the log entry. */
const internalError = (requestId: string): ErrorBody =>
  body(
    'INTERNAL',
    `Something went wrong on the server. Try again; if it keeps happening, give your admin this reference: ${requestId}.`,
  )

function byStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED'
  if (status === 403) return 'FORBIDDEN'
  if (status === 404) return 'NOT_FOUND'
  if (status === 413) return 'PAYLOAD_TOO_LARGE'
  if (status === 414) return 'URI_TOO_LONG'
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE'
  if (status === 429) return 'RATE_LIMITED'
  return 'VALIDATION_FAILED'
}

const body = (code: ErrorCode, message: string, details?: unknown): ErrorBody => ({
  error: { code, message, ...(details !== undefined && { details }) },
})

/**
 * Fastify's `frameworkErrors` option: the router refuses some addresses before any route or error
 * handler runs (a path parameter over `maxParamLength`, a broken percent-encoding) and would answer
 * them in its own shape. They get ours.
 */
export function answerRouterError(
  err: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const known = frameworkCodes[err.code]
  if (known) {
    void reply.status(statusOf(known.code)).send(body(known.code, known.message))
    return
  }
  request.log.error({ err }, 'unexpected router error')
  void reply.status(500).send(internalError(request.id))
}

/**
 * Every failure leaves the server as `{ error: { code, message, details? } }`: codes from the
 * closed list in src/shared, messages that say what to do next. Unexpected errors are logged with
 * the request id and answered without internals. Every route registered after this documents the
 * errors this handler and the framework can answer on it (responses.ts).
 */
export function registerErrorHandling(
  app: FastifyInstance,
  /** Answers a path no route knows when it can (the customer portal's own page routes); false otherwise. */
  fallback: (request: FastifyRequest, reply: FastifyReply) => boolean = () => false,
): void {
  app.addHook('onRoute', (route) => documentErrors(route, commonErrors(route)))
  app.setErrorHandler((err: FastifyError, request, reply) => {
    // A refusal can go out before the request body was read (an upload over the limit or to a
    // project the caller may not use). Left paused, or piped into a multipart parser nobody reads,
    // those unread bytes wedge the keep-alive connection for the client's next request. Discard
    // the rest instead, as Node does for a body no one touched. (Closing the connection instead
    // makes clients still sending the body fail with EPIPE before they read this answer.)
    if (!request.raw.complete) {
      request.raw.unpipe()
      request.raw.resume()
    }

    if (err instanceof AppError) {
      const retryAfter = retryAfterOf(err)
      if (retryAfter) reply.header('Retry-After', String(retryAfter))
      return reply.status(err.statusCode).send(body(err.code, err.message, err.details))
    }

    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        // The whole body (or query) has the path "/": say "body", not "body.".
        path: `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.').replace(/\.$/, '')}`,
        message: v.message ?? 'is not valid',
      }))
      const first = issues[0]
      return reply
        .status(400)
        .send(
          body(
            'VALIDATION_FAILED',
            first ? `${first.path}: ${first.message}` : 'The request is not valid.',
            { issues },
          ),
        )
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema')
      return reply.status(500).send(internalError(request.id))
    }

    const known = err.code ? frameworkCodes[err.code] : undefined
    if (known) return reply.status(statusOf(known.code)).send(body(known.code, known.message))
    if (!err.code && malformedMultipart.test(err.message))
      return reply
        .status(400)
        .send(
          body(
            'VALIDATION_FAILED',
            'The upload is not valid multipart/form-data: it was cut off, or its boundary is missing or too long. Send the file again.',
          ),
        )
    if (err instanceof SyntaxError && (err.statusCode ?? 400) === 400)
      return reply
        .status(400)
        .send(
          body(
            'MALFORMED_JSON',
            'The request body is not valid JSON. Check quotes, commas and brackets.',
          ),
        )

    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500)
      return reply
        .status(status)
        .send(body(byStatus(status), err.message || 'The request is not valid.'))
    request.log.error({ err }, 'unexpected error')
    return reply.status(500).send(internalError(request.id))
  })

  app.setNotFoundHandler((request, reply) => {
    if (fallback(request, reply)) return
    reply
      .status(404)
      .send(
        body(
          'NOT_FOUND',
          `There is no ${request.method} ${request.url.split('?')[0]}. The API is described at /api/v1/openapi.json.`,
        ),
      )
  })
}
