import { z } from 'zod'

/**
 * The closed list of error codes the portal server answers with. Clients branch on the code,
 * people read the message, so a new failure mode gets a new code here, never a free-form string.
 */
export const errorCodes = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  FILE_EMPTY: 400,
  FILE_NAME_INVALID: 400,
  TOO_MANY_FILES: 400,
  ATTACHMENT_NOT_AVAILABLE: 400,
  INVITATION_INVALID: 400,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  MESSAGES_DISABLED: 403,
  PORTAL_ACCESS_DISABLED: 403,
  PROJECT_STAGE_CLOSED: 403,
  SUBCONTRACTORS_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  CLIENT_ID_CONFLICT: 409,
  EMAIL_TAKEN: 409,
  PAYLOAD_TOO_LARGE: 413,
  FILE_TOO_LARGE: 413,
  MESSAGE_ATTACHMENTS_TOO_LARGE: 413,
  PROJECT_STORAGE_FULL: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  FILE_TYPE_NOT_ALLOWED: 415,
  FILE_TYPE_MISMATCH: 415,
  RATE_LIMITED: 429,
  TOO_MANY_CONNECTIONS: 429,
  INTERNAL: 500,
} as const satisfies Record<string, number>

export type ErrorCode = keyof typeof errorCodes
export const ErrorCodeSchema = z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]])

export const ErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  }),
})
export type ErrorBody = z.infer<typeof ErrorBodySchema>

export function statusOf(code: ErrorCode): number {
  return errorCodes[code]
}
