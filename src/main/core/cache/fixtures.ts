import Database from 'better-sqlite3'
import { ManualClock, type Clock } from '../../../shared/clock'
import type { ChangeSet, Message, Thread } from '../../../shared/protocol'
import { changeSetOf } from '../../../shared/protocol/socket'
import { migrate } from './database'
import { CacheStore } from './store'

/** Small hand-made change sets for the cache's unit tests. */
export const ids = {
  sam: '00000000-0000-7000-8000-000000000001',
  carla: '00000000-0000-7000-8000-000000000002',
  tess: '00000000-0000-7000-8000-000000000003',
  maple: '00000000-0000-7000-8000-0000000000a1',
  oak: '00000000-0000-7000-8000-0000000000a2',
}

/** A change set with only the given parts, as the server builds one. */
export const emptyChanges = changeSetOf

export function directory(): ChangeSet {
  return emptyChanges({
    people: [
      {
        id: ids.sam,
        role: 'staff',
        name: 'Sam Rivera',
        email: 'sam@x.test',
        portalAccess: true,
        passwordSet: true,
        seq: 1,
      },
      {
        id: ids.carla,
        role: 'customer',
        name: 'Carla Mendes',
        email: null,
        portalAccess: true,
        passwordSet: true,
        seq: 2,
      },
      {
        id: ids.tess,
        role: 'staff',
        name: 'Tess Nguyen',
        email: 'tess@x.test',
        portalAccess: true,
        passwordSet: true,
        seq: 3,
      },
    ],
    projects: [
      {
        id: ids.maple,
        name: 'Maple Street Remodel',
        stage: 'construction',
        portalOpen: true,
        customerIds: [ids.carla],
        teamIds: [ids.sam],
        storageUsedBytes: 0,
        seq: 4,
      },
      {
        id: ids.oak,
        name: 'Oak Ridge New Build',
        stage: 'pre-construction',
        portalOpen: true,
        customerIds: [],
        teamIds: [ids.tess],
        storageUsedBytes: 0,
        seq: 5,
      },
    ],
  })
}

let counter = 0
export const uuid = (n: number) => `00000000-0000-7000-9000-${String(n).padStart(12, '0')}`

export function thread(n: number, overrides: Partial<Thread> = {}): Thread {
  return {
    id: uuid(n),
    clientId: uuid(n + 50_000),
    projectId: ids.maple,
    subject: `Thread ${n}`,
    status: 'open',
    assigneeId: null,
    snoozedUntil: null,
    waitingSince: null,
    urgent: false,
    createdById: ids.carla,
    createdAt: '2026-03-01T10:00:00.000Z',
    lastMessageAt: '2026-03-01T10:00:00.000Z',
    lastMessagePreview: '',
    lastMessageSenderId: ids.carla,
    participantIds: [ids.carla, ids.sam],
    seq: 100 + n,
    ...overrides,
  }
}

export function message(n: number, threadN: number, overrides: Partial<Message> = {}): Message {
  counter++
  return {
    id: uuid(1000 + n),
    threadId: uuid(threadN),
    projectId: ids.maple,
    authorId: ids.carla,
    clientId: uuid(2000 + n),
    body: `Message ${n}`,
    internal: false,
    urgent: false,
    createdAt: new Date(Date.UTC(2026, 2, 1, 10, n)).toISOString(),
    attachments: [],
    seq: 1000 + n + counter * 0,
    ...overrides,
  }
}

/**
 * A cache in memory, signed in as Sam, with the directory applied. Its "now" (snoozes, drafts) is
 * 10 March 2026 at noon UTC unless a clock is given, whatever the machine's clock says.
 */
export function signedInStore(
  clock: Clock = new ManualClock(Date.UTC(2026, 2, 10, 12)),
): CacheStore {
  const db = new Database(':memory:')
  migrate(db)
  const store = new CacheStore(db, clock)
  store.setMeta('userId', ids.sam)
  store.apply(directory())
  return store
}

/**
 * The SQL prepared while `work` runs: what a query-plan test checks. Not a vitest spy: the
 * benchmark imports these fixtures outside vitest.
 */
export async function statementsPrepared(
  store: CacheStore,
  work: () => unknown,
): Promise<string[]> {
  const statements: string[] = []
  const { db } = store
  const prepare = db.prepare.bind(db)
  db.prepare = ((sql: string) => {
    statements.push(sql)
    return prepare(sql)
  }) as typeof db.prepare
  try {
    await work()
  } finally {
    // The instance's own property goes; the prototype's prepare is there again.
    delete (db as Partial<Pick<typeof db, 'prepare'>>).prepare
  }
  return statements
}
