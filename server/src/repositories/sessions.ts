import type { Kysely } from 'kysely'
import type { Database, UserRow } from '../db/schema'
import type { Caller } from '../domain/caller'
import { AppError } from '../errors'
import { isoIn, nowIso, type Clock } from '../../../src/shared/clock'
import { newToken, sha256, bool } from '../util'

export function callerFromRow(row: UserRow): Caller {
  return {
    id: row.id,
    companyId: row.company_id,
    role: row.role,
    name: row.name,
    email: row.email,
    portalAccess: bool(row.portal_access),
  }
}

/** Customers and subcontractors need portal access for everything; staff always have it. */
export function assertPortalAccess(user: Pick<UserRow, 'role' | 'portal_access'>): void {
  if ((user.role === 'customer' || user.role === 'subcontractor') && !bool(user.portal_access)) {
    throw new AppError(
      'PORTAL_ACCESS_DISABLED',
      'Your portal access is turned off. Ask your builder to turn it on for you.',
    )
  }
}

export class SessionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sessionDays: number,
    private readonly clock: Clock,
  ) {}

  /** Opaque token to the caller; only its SHA-256 is stored, so a database leak holds no usable token. */
  async create(userId: string): Promise<{ token: string; expiresAt: string }> {
    const token = newToken()
    const expiresAt = isoIn(this.clock, this.sessionDays * 86_400_000)
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: sha256(token),
        user_id: userId,
        created_at: nowIso(this.clock),
        expires_at: expiresAt,
        revoked_at: null,
      })
      .execute()
    return { token, expiresAt }
  }

  async resolve(token: string | undefined): Promise<Caller> {
    if (!token)
      throw new AppError(
        'UNAUTHENTICATED',
        'Sign in first: send your session token as "Authorization: Bearer <token>".',
      )
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('u')
      .select(['s.expires_at', 's.revoked_at'])
      .where('s.token_hash', '=', sha256(token))
      .executeTakeFirst()
    if (!row) throw new AppError('UNAUTHENTICATED', 'This session is not valid. Sign in again.')
    if (row.revoked_at) throw new AppError('SESSION_EXPIRED', 'You were signed out. Sign in again.')
    if (row.expires_at <= nowIso(this.clock))
      throw new AppError('SESSION_EXPIRED', 'Your session has expired. Sign in again.')
    assertPortalAccess(row)
    return callerFromRow(row)
  }

  async revoke(token: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: nowIso(this.clock) })
      .where('token_hash', '=', sha256(token))
      .where('revoked_at', 'is', null)
      .execute()
  }

  async revokeAllFor(userId: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: nowIso(this.clock) })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute()
  }
}
