import type { Role } from '../../../src/shared/protocol'

/** The signed-in person a request or socket acts for. */
export interface Caller {
  id: string
  companyId: string
  role: Role
  name: string
  email: string
  portalAccess: boolean
}

export const isStaff = (c: Pick<Caller, 'role'>): boolean =>
  c.role === 'admin' || c.role === 'staff'
export const isAdmin = (c: Pick<Caller, 'role'>): boolean => c.role === 'admin'
