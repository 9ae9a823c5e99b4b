import type { Database } from 'better-sqlite3'

/**
 * Indexes for counting the inbox views, which read threads row by row: at 100k threads 30–40 ms
 * for 'all', 'waiting' and 'snoozed', 13 ms for 'assigned' and 90 ms for the per-project counts
 * of the sidebar (scripts/bench.ts, `inbox.*`).
 *
 * - threads_snoozed: snoozed threads by wake-up time; with it the 'all' view counts itself by
 *   subtraction (countView in cache/inbox-queries.ts).
 * - threads_waiting_last: waiting threads newest first, for the page and the count.
 * - threads_assignee_last and threads_project_last also carry status and snoozed_until, so
 *   counting a person's or a project's threads reads only the index.
 *
 * The first two are partial: they hold only the few threads they are about.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE INDEX threads_snoozed ON threads(snoozed_until) WHERE snoozed_until IS NOT NULL;
    CREATE INDEX threads_waiting_last ON threads(last_at DESC) WHERE waiting_since IS NOT NULL;
    DROP INDEX threads_assignee_last;
    CREATE INDEX threads_assignee_last ON threads(assignee_id, last_at DESC, status, snoozed_until);
    DROP INDEX threads_project_last;
    CREATE INDEX threads_project_last ON threads(project_id, last_at DESC, status, snoozed_until);
  `)
}
