import type { Kysely } from 'kysely'
import type { Database, ReplyTokenRow } from '../db/schema'
import { newReplyToken } from '../mail/inbound/reply-address'
import { firstWhere } from './rows'

type Db = Kysely<Database>

/**
 * The reply address token of a person in a thread: the same one in every mail about the thread,
 * so a reply to an older mail still lands; a new one when the old was revoked, so an address
 * from before a revocation never comes back to life.
 */
export async function replyTokenFor(
  db: Db,
  who: { companyId: string; userId: string; threadId: string },
  now: string,
): Promise<string> {
  const existing = await firstWhere(db, 'reply_tokens', {
    user_id: who.userId,
    thread_id: who.threadId,
  })
  if (existing && existing.revoked_at === null) return existing.token
  const token = newReplyToken()
  if (existing) {
    await db
      .updateTable('reply_tokens')
      .set({ token, created_at: now, revoked_at: null })
      .where('token', '=', existing.token)
      .execute()
  } else {
    await db
      .insertInto('reply_tokens')
      .values({
        token,
        company_id: who.companyId,
        user_id: who.userId,
        thread_id: who.threadId,
        created_at: now,
        revoked_at: null,
      })
      .execute()
  }
  return token
}

export function replyTokenRow(db: Db, token: string): Promise<ReplyTokenRow | undefined> {
  return firstWhere(db, 'reply_tokens', { token })
}

/** Every reply address of a person stops taking mail (their portal access was turned off). */
export async function revokeReplyTokensOf(db: Db, userId: string, now: string): Promise<void> {
  await db
    .updateTable('reply_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute()
}
