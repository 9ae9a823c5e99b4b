import type { Kysely } from 'kysely'
import type { AttachmentRow, Database } from '../db/schema'
import { deleteWhere, firstWhere } from './rows'

type Db = Kysely<Database>

/** The upload this person made before with this client id, if any: a retry's original. */
export function attachmentByClientId(db: Db, uploaderId: string, clientId: string) {
  return firstWhere(db, 'attachments', { uploader_id: uploaderId, client_id: clientId })
}

/** The bytes a project's files take. */
export async function usedBytes(db: Db, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('attachments')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.val(0)).as('used'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow()
  return Number(row.used)
}

export async function insertAttachment(db: Db, row: AttachmentRow): Promise<void> {
  await db.insertInto('attachments').values(row).execute()
}

/** Uploads made before `cutoff` that no message took. */
export function unsentBefore(db: Db, cutoff: string) {
  return db
    .selectFrom('attachments')
    .select(['id', 'storage_name'])
    .where('message_id', 'is', null)
    .where('created_at', '<', cutoff)
    .execute()
}

/** Removes an upload's row unless a message took it meanwhile; true when it was removed. */
export async function deleteUnsent(db: Db, id: string): Promise<boolean> {
  return (await deleteWhere(db, 'attachments', { id, message_id: null })) > 0
}

/** Whether the person takes part in any thread of the project. */
export async function inAThreadOf(db: Db, projectId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('thread_participants as p')
    .innerJoin('threads as t', 't.id', 'p.thread_id')
    .select('p.user_id')
    .where('t.project_id', '=', projectId)
    .where('p.user_id', '=', userId)
    .executeTakeFirst()
  return Boolean(row)
}
