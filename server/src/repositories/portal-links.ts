import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { newToken, sha256 } from '../util'
import { firstWhere } from './rows'

type Db = Kysely<Database>

/** A new token of a link in mail: `store` keeps only its hash, and the mail gets the token. */
async function newHashedToken(store: (hash: string) => Promise<unknown>): Promise<string> {
  const token = newToken()
  await store(sha256(token))
  return token
}

/** A new one-click unsubscribe token for the person. */
export function issueUnsubscribeToken(db: Db, userId: string, now: string): Promise<string> {
  return newHashedToken((token_hash) =>
    db
      .insertInto('unsubscribe_tokens')
      .values({ token_hash, user_id: userId, created_at: now })
      .execute(),
  )
}

/** Whose alerts an unsubscribe token turns off, if it is one. */
export async function unsubscribeTokenOwner(db: Db, token: string): Promise<string | undefined> {
  return (await firstWhere(db, 'unsubscribe_tokens', { token_hash: sha256(token) }))?.user_id
}

/** A new one-time sign-in link's token for the person, working until `expiresAt`. */
export function issueSignInLink(
  db: Db,
  link: { userId: string; email: string; now: string; expiresAt: string },
): Promise<string> {
  const row = {
    user_id: link.userId,
    email: link.email,
    created_at: link.now,
    expires_at: link.expiresAt,
  }
  return newHashedToken((token_hash) =>
    db
      .insertInto('sign_in_links')
      .values({ token_hash, ...row, used_at: null })
      .execute(),
  )
}

export function signInLinkRow(db: Db, token: string) {
  return firstWhere(db, 'sign_in_links', { token_hash: sha256(token) })
}

/**
 * The link is used up, and with it every other sign-in link still in the person's inbox: one
 * sign-in is what they asked for, and an older link lying in a mailbox should not be another.
 */
export async function useSignInLinks(db: Db, userId: string, at: string): Promise<void> {
  await db
    .updateTable('sign_in_links')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute()
}
