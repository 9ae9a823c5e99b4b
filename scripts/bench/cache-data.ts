import fs from 'node:fs'
import Database from 'better-sqlite3'
import { migrate } from '../../src/main/core/cache/database'
import { messageKey } from '../../src/main/core/cache/messages'
import { rng, textSource } from './corpus'

const idRandom = rng(99)
const hex32 = () => (Math.floor(idRandom() * 0x100000000) >>> 0).toString(16).padStart(8, '0')

/**
 * A UUIDv7 for a given time, its random bits from a seeded PRNG (crypto.randomBytes per id was a
 * fifth of the generation time). Ids sort in creation order like the server's.
 */
export function uuid7At(ms: number): string {
  const t = ms.toString(16).padStart(12, '0')
  const a = hex32()
  const b = hex32()
  const c = hex32()
  const variant = (0x8 | (parseInt(a[3]!, 16) & 0x3)).toString(16)
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${a.slice(0, 3)}-${variant}${a.slice(4, 7)}-${b}${c.slice(0, 4)}`
}

export interface CacheInfo {
  file: string
  me: string
  messages: number
  threads: number
  seconds: number
}

const preview = (body: string) => (body.length > 140 ? `${body.slice(0, 139)}…` : body)

/**
 * Writes an engine cache file with the engine's own schema (its migrations) and `messages`
 * messages in about `threads` threads, the way a long initial sync would leave it: people,
 * projects, threads with unread counts, messages keyed by creation time, read marks for the
 * signed-in person, and the FTS5 rows. Bulk SQL in large transactions with journaling off: a
 * million messages take well under a minute.
 */
export function generateCache(
  file: string,
  opts: { messages: number; threads: number; seed?: number },
): CacheInfo {
  const started = performance.now()
  fs.rmSync(file, { force: true })
  const db = new Database(file)
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -1000000')
  db.pragma('temp_store = MEMORY')
  migrate(db)
  // Secondary indexes are built once at the end (a sort) instead of row by row (random B-tree
  // inserts): the same schema, in a third less time.
  const deferred = db
    .prepare(
      "SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('messages', 'reads', 'threads')",
    )
    .pluck()
    .all() as string[]
  for (const sql of deferred) db.exec(`DROP INDEX ${/^CREATE INDEX (\w+)/.exec(sql)![1]}`)

  const random = rng(opts.seed ?? 42)
  const text = textSource(opts.seed ?? 42)
  const N = opts.messages
  const T = opts.threads
  const span = 2 * 365 * 86_400_000
  const t0 = Date.now() - span - 86_400_000
  const step = span / N
  let seq = 0

  // People: the signed-in admin first, then staff, customers and subcontractors.
  const people: { id: string; role: string; name: string }[] = []
  const addPerson = (role: string) => {
    const i = people.length
    people.push({ id: uuid7At(t0 + i), role, name: text.person(i) })
  }
  addPerson('admin')
  for (let i = 0; i < 29; i++) addPerson('staff')
  for (let i = 0; i < 250; i++) addPerson('customer')
  for (let i = 0; i < 20; i++) addPerson('subcontractor')
  const me = people[0]!.id
  const staff = people.filter((p) => p.role === 'admin' || p.role === 'staff')
  const customers = people.filter((p) => p.role === 'customer')
  const customerIds = new Set(customers.map((c) => c.id))

  const projectCount = Math.max(5, Math.round(T / 500))
  const projects = Array.from({ length: projectCount }, (_, i) => ({
    id: uuid7At(t0 + 1000 + i),
    name: text.project(i),
    customers: [customers[i % customers.length]!, customers[(i * 7 + 3) % customers.length]!],
    team: [staff[i % staff.length]!, staff[(i * 3 + 1) % staff.length]!, people[0]!],
  }))

  const insertPerson = db.prepare(
    'INSERT INTO people (id, role, name, email, portal_access, seq) VALUES (?, ?, ?, ?, 1, ?)',
  )
  const insertProject = db.prepare(
    `INSERT INTO projects (id, name, stage, portal_open, customer_ids, team_ids, storage_used, seq) VALUES (?, ?, 'construction', 1, ?, ?, 0, ?)`,
  )
  db.transaction(() => {
    for (const p of people)
      insertPerson.run(
        p.id,
        p.role,
        p.name,
        `${p.name.toLowerCase().replace(/\W+/g, '.')}@bench.test`,
        ++seq,
      )
    for (const p of projects)
      insertProject.run(
        p.id,
        p.name,
        JSON.stringify(p.customers.map((c) => c.id)),
        JSON.stringify([...new Set(p.team.map((s) => s.id))]),
        ++seq,
      )
  })()

  // Per-thread state, filled while messages are written in creation order.
  const thread = {
    id: [] as string[],
    project: new Int32Array(T),
    createdBy: [] as string[],
    createdAt: [] as string[],
    lastAt: [] as string[],
    lastPreview: [] as string[],
    lastSender: [] as string[],
    subject: [] as string[],
    unread: new Int32Array(T),
    count: new Int32Array(T),
  }
  const insertMessage = db.prepare(
    `INSERT INTO messages (pk, id, thread_id, project_id, author_id, client_id, body, internal, urgent, created_at, seq, outbox_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  )
  const insertFts = db.prepare(
    `INSERT INTO messages_fts (rowid, subject, body, sender, attachments) VALUES (?, ?, ?, ?, '')`,
  )
  const insertRead = db.prepare(
    'INSERT INTO reads (message_id, thread_id, user_id, read_at, seq) VALUES (?, ?, ?, ?, ?)',
  )
  // The newest 2% of messages are where the unread ones are (30% of them), as in a real inbox.
  const unreadFrom = Math.floor(N * 0.98)
  const window = 60
  const batch = 50_000
  let lastPk = 0
  for (let start = 0; start < N; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(N, start + batch); i++) {
        // Threads open in order over time; a message goes to one of the ~60 newest threads,
        // favouring the newest: each thread lives for a while and gets about N/T messages.
        const newest = Math.min(T - 1, Math.floor((i * T) / N))
        const t = Math.max(0, newest - Math.floor(random() * random() * window))
        const ms = Math.floor(t0 + i * step)
        const at = new Date(ms).toISOString()
        const project = projects[t % projects.length]!
        if (thread.id[t] === undefined) {
          thread.id[t] = uuid7At(ms)
          thread.project[t] = t % projects.length
          thread.subject[t] = text.subject()
          thread.createdAt[t] = at
        }
        const r = random()
        const customerSide = r < 0.45
        const author = customerSide
          ? project.customers[Math.floor(random() * 2)]!
          : project.team[Math.floor(random() * project.team.length)]!
        const internal = !customerSide && r > 0.95 ? 1 : 0
        const body = text.body()
        const id = uuid7At(ms)
        let pk = messageKey(at, id)
        if (pk <= lastPk) pk = lastPk + 1
        lastPk = pk
        const threadId = thread.id[t]!
        thread.createdBy[t] ??= author.id
        thread.lastAt[t] = at
        thread.lastPreview[t] = internal ? `Internal note: ${preview(body)}` : preview(body)
        thread.lastSender[t] = author.id
        thread.count[t] = (thread.count[t] ?? 0) + 1
        insertMessage.run(
          pk,
          id,
          threadId,
          project.id,
          author.id,
          uuid7At(ms),
          body,
          internal,
          customerSide && random() < 0.01 ? 1 : 0,
          at,
          ++seq,
        )
        insertFts.run(pk, thread.subject[t], body, author.name)
        if (author.id !== me) {
          if (i >= unreadFrom && random() < 0.3) thread.unread[t] = (thread.unread[t] ?? 0) + 1
          else insertRead.run(id, threadId, me, at, ++seq)
        }
      }
    })()
  }

  const insertThread = db.prepare(
    `INSERT INTO threads (id, client_id, project_id, subject, status, assignee_id, snoozed_until, waiting_since, urgent, created_by, created_at,
       last_at, last_preview, last_sender_id, participant_ids, unread, seq, local)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
  )
  let threads = 0
  const future = new Date(Date.now() + 7 * 86_400_000).toISOString()
  db.transaction(() => {
    for (let t = 0; t < T; t++) {
      const id = thread.id[t]
      if (!id) continue
      threads++
      const project = projects[thread.project[t]!]!
      const r = random()
      const status = r < 0.1 ? 'closed' : r < 0.15 ? 'waiting-on-customer' : 'open'
      const assignee =
        random() < 0.3
          ? random() < 0.15
            ? me
            : staff[Math.floor(random() * staff.length)]!.id
          : null
      // Waiting and snoozed threads are recent ones (the last 30 days), as in a real inbox.
      const recent = Date.parse(thread.lastAt[t]!) > Date.now() - 30 * 86_400_000
      const customerLast = customerIds.has(thread.lastSender[t]!)
      insertThread.run(
        id,
        uuid7At(Date.parse(thread.createdAt[t]!)),
        project.id,
        thread.subject[t],
        status,
        assignee,
        recent && random() < 0.1 ? future : null,
        recent && customerLast && status !== 'closed' ? thread.lastAt[t] : null,
        customerLast && random() < 0.05 ? 1 : 0,
        thread.createdBy[t],
        thread.createdAt[t],
        thread.lastAt[t],
        thread.lastPreview[t],
        thread.lastSender[t],
        JSON.stringify([
          ...project.customers.map((c) => c.id),
          ...new Set(project.team.map((s) => s.id)),
        ]),
        thread.unread[t],
        ++seq,
      )
    }
  })()
  for (const sql of deferred) db.exec(sql)
  const setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
  setMeta.run('userId', me)
  setMeta.run(
    'user',
    JSON.stringify({
      id: me,
      role: 'admin',
      name: people[0]!.name,
      email: 'admin@bench.test',
      portalAccess: true,
      passwordSet: true,
      seq: 1,
    }),
  )
  setMeta.run('cursor', String(seq))
  db.pragma('journal_mode = WAL')
  db.close()
  return { file, me, messages: N, threads, seconds: (performance.now() - started) / 1000 }
}
