// Admin → People's words: roles as the screen names them, the role filter, and how a person's
// state reads (access, sign-in), so the table and the dialogs say them the same way.
import type { Person, Role } from '../../../../shared/protocol'

export const roleLabel = {
  admin: 'Admin',
  staff: 'Staff',
  customer: 'Customer',
  subcontractor: 'Subcontractor',
} as const satisfies Record<Role, string>

/** The invite dialog's role picker: who is invited most often first. */
export const roleOptions: { value: Role; label: string; description: string }[] = [
  {
    value: 'customer',
    label: 'Customer',
    description: 'Messages the team about their project in the portal.',
  },
  {
    value: 'subcontractor',
    label: 'Subcontractor',
    description:
      'Sees the conversations of the projects they are on, where subcontractors are allowed.',
  },
  { value: 'staff', label: 'Staff', description: 'Answers customers in Portal Inbox.' },
  {
    value: 'admin',
    label: 'Admin',
    description: 'Staff who also change company settings, projects and people.',
  },
]

export type RoleFilter = 'all' | 'staff' | 'customer' | 'subcontractor'
export const roleFilters: { value: RoleFilter; label: string }[] = [
  { value: 'all', label: 'Everyone' },
  { value: 'staff', label: 'Staff' },
  { value: 'customer', label: 'Customers' },
  { value: 'subcontractor', label: 'Subcontractors' },
]

export const isStaffMember = (p: Pick<Person, 'role'>) => p.role === 'admin' || p.role === 'staff'

/** Whether a person is shown under the filter and matches the search (name or email). */
export function shown(person: Person, filter: RoleFilter, search: string): boolean {
  const inRole =
    filter === 'all' || (filter === 'staff' ? isStaffMember(person) : person.role === filter)
  const q = search.trim().toLowerCase()
  return (
    inRole &&
    (!q || person.name.toLowerCase().includes(q) || !!person.email?.toLowerCase().includes(q))
  )
}

/** Portal access is what admits customers and subcontractors; staff always sign in. */
export const hasPortalRole = (p: Pick<Person, 'role'>) => !isStaffMember(p)

/** The sign-in column: from the person's record, as the server says it. */
export function signInState(p: Person): string {
  if (p.passwordSet === null) return '—'
  return p.passwordSet ? 'Has signed in' : 'Not signed in yet'
}

/** Why staff have no "deactivate" here, in words an admin can act on. */
export const STAFF_NOT_DEACTIVATED =
  'Staff accounts cannot be deactivated here: their conversations, assignments and notes stay theirs. To lock someone out, sign them out everywhere and change their email to an address your company controls, so no password reset reaches them.'

/** The code the engine's error carries (the server's, passed through), when it has one. */
export const errorCode = (err: unknown): string | undefined =>
  err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined
