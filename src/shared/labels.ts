/**
 * The words for a person's role and a thread's status, the same wherever a person reads them:
 * on the staff inbox's screens and in a thread exported as a PDF.
 */
export const roleLabel: Record<string, string> = {
  admin: 'Admin',
  staff: 'Staff',
  customer: 'Customer',
  subcontractor: 'Subcontractor',
}

export const statusLabel: Record<string, string> = {
  open: 'Open',
  'waiting-on-customer': 'Waiting on customer',
  closed: 'Closed',
}

/** Who wrote a message when the cache no longer knows them (they left the company). */
export const formerMemberName = 'Someone no longer in the company'
