import type { Kysely } from 'kysely'
import type { Database, UserRow } from '../db/schema'
import type { ErrorCode } from '../../../src/shared/protocol'
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

/**
 * Ends every session of a person, but the one with `exceptHash` (the one a password change was
 * made in), inside the write that causes it: a password, email or access change, or an admin's
 * "sign out everywhere". Returns how many ended.
 */
export async function revokeSessionsOf(
  db: Kysely<Database>,
  clock: Clock,
  userId: string,
  exceptHash?: string,
): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: nowIso(clock) })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
  if (exceptHash) q = q.where('token_hash', '!=', exceptHash)
  const result = await q.executeTakeFirst()
  return Number(result.numUpdatedRows)
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
    return (await this.resolveSession(token)).caller
  }

  /** The caller behind a token, with the session's hash and end, for a live connection that must end with it. */
  async resolveSession(
    token: string | undefined,
  ): Promise<{ caller: Caller; tokenHash: string; expiresAt: string }> {
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
    // Access turned off is said first: it is the reason, and the sessions it revoked say nothing more.
    assertPortalAccess(row)
    if (row.revoked_at) throw new AppError('SESSION_EXPIRED', 'You were signed out. Sign in again.')
    if (row.expires_at <= nowIso(this.clock))
      throw new AppError('SESSION_EXPIRED', 'Your session has expired. Sign in again.')
    return { caller: callerFromRow(row), tokenHash: sha256(token), expiresAt: row.expires_at }
  }

  /**
   * Of these session hashes, the ones that no longer answer: signed out, revoked or expired, with
   * the words to tell their sockets. Live connections are checked against this on a schedule, so
   * a session ended anywhere (another node, a direct database change) ends its sockets too.
   */
  async ended(hashes: string[]): Promise<Map<string, { code: ErrorCode; message: string }>> {
    const ended = new Map<string, { code: ErrorCode; message: string }>()
    if (!hashes.length) return ended
    const rows = await this.db
      .selectFrom('sessions')
      .select(['token_hash', 'expires_at', 'revoked_at'])
      .where('token_hash', 'in', hashes)
      .execute()
    const now = nowIso(this.clock)
    const byHash = new Map(rows.map((r) => [r.token_hash, r]))
    for (const hash of hashes) {
      const row = byHash.get(hash)
      if (!row || row.revoked_at)
        ended.set(hash, { code: 'SESSION_EXPIRED', message: 'You were signed out. Sign in again.' })
      else if (row.expires_at <= now)
        ended.set(hash, {
          code: 'SESSION_EXPIRED',
          message: 'Your session has expired. Sign in again.',
        })
    }
    return ended
  }

  /** The person signing in with this email, if any. */
  findUserByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
  }

  /** A person who must exist (just written in this request). */
  getUser(userId: string): Promise<UserRow> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
  }

  /**
   * Who a person is now, for their live connections after their access changed: the caller, or
   * why they may no longer listen (null: the account is gone).
   */
  async currentCaller(
    userId: string,
  ): Promise<{ caller: Caller; ended?: undefined } | { caller: null; ended: AppError | null }> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirst()
    if (!row) return { caller: null, ended: null }
    try {
      assertPortalAccess(row)
    } catch (err) {
      return { caller: null, ended: err instanceof AppError ? err : null }
    }
    return { caller: callerFromRow(row) }
  }

  async revoke(token: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: nowIso(this.clock) })
      .where('token_hash', '=', sha256(token))
      .where('revoked_at', 'is', null)
      .execute()
  }

  /** Ends every session of a person but the one given (if any); see revokeSessionsOf. */
  revokeAllFor(userId: string, exceptToken?: string): Promise<number> {
    return revokeSessionsOf(this.db, this.clock, userId, exceptToken && sha256(exceptToken))
  }
}
