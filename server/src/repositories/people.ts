import type { Kysely } from 'kysely'
import type { Database, InvitationRow, UserRow } from '../db/schema'
import type { Caller } from '../domain/caller'
import { newToken, sha256 } from '../util'
import { firstWhere } from './rows'
import { takeSeqs } from './seq'
import { personVisible } from './visibility'

type Db = Kysely<Database>

/** A person known to exist. */
export function personById(db: Db, id: string): Promise<UserRow> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** The person with this email on the whole server (emails are unique across companies). */
export function personByEmail(db: Db, email: string, exceptId?: string) {
  let q = db.selectFrom('users').selectAll().where('email', '=', email)
  if (exceptId) q = q.where('id', '!=', exceptId)
  return q.executeTakeFirst()
}

export async function insertPerson(db: Db, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute()
}

/** Changes a person's row; `visible` gives it a fresh seq, for changes the feed carries. */
export async function updatePerson(
  db: Db,
  person: Pick<UserRow, 'id' | 'company_id'>,
  set: Partial<Omit<UserRow, 'id' | 'seq'>>,
  options: { visible: boolean },
): Promise<void> {
  const seq = options.visible ? await takeSeqs(db, person.company_id) : undefined
  await db
    .updateTable('users')
    .set({ ...set, ...(seq !== undefined && { seq }) })
    .where('id', '=', person.id)
    .execute()
}

/** The company's people in some roles. */
export function peopleInRoles(db: Db, companyId: string, roles: UserRow['role'][]) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('role', 'in', roles)
    .execute()
}

/** The people the caller may see, by name. */
export function visiblePeople(db: Db, caller: Caller): Promise<UserRow[]> {
  return db
    .selectFrom('users as u')
    .selectAll('u')
    .where(personVisible(caller, 'u'))
    .orderBy('u.name')
    .execute()
}

/** Of these ids, the people of the company. */
export function peopleOfCompany(db: Db, companyId: string, ids: string[]) {
  return db
    .selectFrom('users')
    .select(['id', 'role', 'name'])
    .where('id', 'in', ids)
    .where('company_id', '=', companyId)
    .execute()
}

/**
 * A single-use link's token for the person to set a password with; only its hash is kept, and it
 * works until `expiresAt`.
 */
export async function issueToken(
  db: Db,
  t: { userId: string; kind: 'invitation' | 'password-reset'; expiresAt: string },
): Promise<string> {
  const token = newToken()
  await db
    .insertInto('invitations')
    .values({
      token_hash: sha256(token),
      user_id: t.userId,
      expires_at: t.expiresAt,
      used_at: null,
      kind: t.kind,
    })
    .execute()
  return token
}

export function tokenRow(db: Db, token: string) {
  return firstWhere(db, 'invitations', { token_hash: sha256(token) })
}

/**
 * The link is used up, and with it every other reset link still in the person's inbox: a new
 * password makes them useless.
 */
export async function useTokens(
  db: Db,
  used: Pick<InvitationRow, 'token_hash' | 'user_id'>,
  at: string,
): Promise<void> {
  await db
    .updateTable('invitations')
    .set({ used_at: at })
    .where('token_hash', '=', used.token_hash)
    .execute()
  await db
    .updateTable('invitations')
    .set({ used_at: at })
    .where('user_id', '=', used.user_id)
    .where('kind', '=', 'password-reset')
    .where('used_at', 'is', null)
    .execute()
}
