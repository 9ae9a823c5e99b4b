/** What the portal, its mail and the auto-reply say when they tell a customer to call. */
export interface Contact {
  contactPhone?: string
  officeHours?: string
}

/**
 * "call us at (555) 010-4477 (Mon–Fri 8am–5pm)", or "call us" when the builder has not given a
 * number: every "please call" names the number, once the admin has set it.
 */
export function callUs(contact: Contact | undefined): string {
  const phone = contact?.contactPhone?.trim()
  if (!phone) return 'call us'
  const hours = contact?.officeHours?.trim()
  return `call us at ${phone}${hours ? ` (${hours})` : ''}`
}

/** The one sentence for emergencies, in the composer's urgent box and in mail. */
export function emergencyAdvice(contact: Contact | undefined): string {
  return `For emergencies (a leak, no heat, a safety risk) please ${callUs(contact)} directly; marking a message urgent alerts the team but is no substitute for a call.`
}
