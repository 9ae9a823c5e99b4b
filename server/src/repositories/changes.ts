import type { Kysely } from 'kysely'
import type { ChangesPage } from '../../../src/shared/protocol'
import type { Database } from '../db/schema'
import { messageVisible, personVisible, projectVisible, threadVisibleAs } from '../domain/access'
import { isStaff, type Caller } from '../domain/caller'
import { publicSettings } from '../domain/settings'
import { loadCompany } from './companies'
import { audienceOf, loadMessages, loadProjects, loadThreads, toPerson, toRead } from './entities'

/**
 * The change feed: every row the caller may see whose seq is above the cursor, oldest first, in
 * pages. Each kind is read in seq order up to the page size; merging them and keeping the lowest
 * `limit` seqs gives a page with no gaps, so the next cursor is the last seq kept. The reads run
 * in one transaction, a consistent snapshot, so when nothing more is left the cursor can jump to
 * the company's counter and an idle client does not scan the same range again.
 */
export async function readChanges(
  db: Kysely<Database>,
  caller: Caller,
  after: number,
  limit: number,
): Promise<ChangesPage> {
  return db.transaction().execute(async (trx) => {
    const company = await loadCompany(trx, caller.companyId)
    const staff = isStaff(caller)
    const [people, projects, threads, messages, reads, revoked] = await Promise.all([
      trx
        .selectFrom('users as u')
        .selectAll('u')
        .where(personVisible(caller, 'u'))
        .where('u.seq', '>', after)
        .orderBy('u.seq')
        .limit(limit)
        .execute(),
      trx
        .selectFrom('projects as p')
        .selectAll('p')
        .where(projectVisible(caller, 'p'))
        .where('p.seq', '>', after)
        .orderBy('p.seq')
        .limit(limit)
        .execute(),
      trx
        .selectFrom('threads as t')
        .selectAll('t')
        .where(threadVisibleAs(caller, 't'))
        .where('t.seq', '>', after)
        .orderBy('t.seq')
        .limit(limit)
        .execute(),
      trx
        .selectFrom('messages as m')
        .selectAll('m')
        .where(messageVisible(caller, 'm'))
        .where('m.seq', '>', after)
        .orderBy('m.seq')
        .limit(limit)
        .execute(),
      (() => {
        let q = trx
          .selectFrom('reads as r')
          .innerJoin('messages as m', 'm.id', 'r.message_id')
          .selectAll('r')
          .where(messageVisible(caller, 'm'))
          .where('r.seq', '>', after)
        if (!staff) q = q.where('r.user_id', '=', caller.id)
        return q.orderBy('r.seq').limit(limit).execute()
      })(),
      trx
        .selectFrom('revocations')
        .selectAll()
        .where('user_id', '=', caller.id)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(limit)
        .execute(),
    ])
    const settingsChanged = company.row.settings_seq > after

    const lists = [people, projects, threads, messages, reads, revoked]
    const seqs = lists.flat().map((r) => r.seq)
    if (settingsChanged) seqs.push(company.row.settings_seq)
    seqs.sort((a, b) => a - b)
    // A kind that filled its page may have more rows past its last one: the page must stop there.
    let ceiling = company.row.last_seq
    let hasMore = false
    for (const list of lists) {
      const last = list[limit - 1]
      if (last) {
        ceiling = Math.min(ceiling, last.seq)
        hasMore = true
      }
    }
    if (seqs.length > limit) {
      ceiling = Math.min(ceiling, seqs[limit - 1] as number)
      hasMore = true
    }
    const within = <T extends { seq: number }>(rows: T[]) => rows.filter((r) => r.seq <= ceiling)

    return {
      changes: {
        people: within(people).map((r) => toPerson(r, caller)),
        projects: await loadProjects(trx, within(projects), company.settings),
        threads: await loadThreads(trx, within(threads), audienceOf(caller)),
        messages: await loadMessages(trx, within(messages)),
        reads: within(reads).map(toRead),
        settings:
          settingsChanged && company.row.settings_seq <= ceiling
            ? staff
              ? company.settings
              : publicSettings(company.settings)
            : null,
        removedThreadIds: within(revoked).map((r) => r.thread_id),
      },
      cursor: Math.max(after, ceiling),
      hasMore,
      head: company.row.last_seq,
    }
  })
}
