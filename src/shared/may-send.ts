import { isStaffRole, type Role } from './protocol/domain'

/**
 * The help page's "Customer can't send messages" checklist as one rule: the server refuses with
 * it and the customer portal explains with it, so the two can never disagree. Each reader words
 * the reason for its own audience (the server's error names the admin setting; the portal speaks
 * to a homeowner).
 */
export type CannotSendReason =
  | 'INTERNAL_NOTE_STAFF_ONLY'
  | 'MESSAGES_DISABLED'
  | 'PROJECT_STAGE_CLOSED'
  | 'SUBCONTRACTORS_NOT_ALLOWED'

export interface SendContext {
  role: Role
  /** Whether the message would be an internal note. */
  internal: boolean
  messagesEnabled: boolean
  /** Whether the company's settings open the portal in the project's current stage. */
  portalOpen: boolean
  /** Unknown to the customer portal (not a public setting); then the server alone decides it. */
  subcontractorsAllowed?: boolean
}

/** Why this person may not send here, in checklist order; null when they may. Staff always may. */
export function whyCannotSend(context: SendContext): CannotSendReason | null {
  if (isStaffRole(context.role)) return null
  if (context.internal) return 'INTERNAL_NOTE_STAFF_ONLY'
  if (!context.messagesEnabled) return 'MESSAGES_DISABLED'
  if (!context.portalOpen) return 'PROJECT_STAGE_CLOSED'
  if (context.role === 'subcontractor' && context.subcontractorsAllowed === false) {
    return 'SUBCONTRACTORS_NOT_ALLOWED'
  }
  return null
}
