import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { openDatabase } from '../../server/src/db/database'
import { DEMO_PASSWORD, seedDemo } from '../../server/src/demo/seed'
import { hashPassword } from '../../server/src/passwords'
import { newToken } from '../../server/src/util'
import { uuid7At } from './cache-data'
import { rng, textSource } from './corpus'
import { systemClock } from '../../src/shared/clock'

export interface ServerData {
  dataDir: string
  messages: number
  threads: number
  /** Tokens of the desk users (role admin, one session each): the light socket clients. */
  deskTokens: string[]
  /** Recent threads with a token of their customer, for posting customer messages. */
  postable: { threadId: string; token: string }[]
  seconds: number
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const preview = (body: string) => (body.length > 140 ? `${body.slice(0, 139)}…` : body)

/**
 * Fills a portal server data directory for the benchmark: the demo company (seeded through the
 * server's own code, so admin@demo.test signs in with the demo password), then, straight into
 * portal.sqlite through the server's migrated schema, `messages` messages in about `threads`
 * threads of bench projects, their FTS rows, customers and desk users with sessions.
 *
 * The seq rules of the change feed hold: every row takes the next value of the company counter
 * (a message its own, its thread the next one after its last message, as the server does), and
 * companies.last_seq ends at the highest seq written.
 */
export async function generateServerData(
  dataDir: string,
  opts: { messages: number; threads: number; deskUsers: number; seed?: number },
): Promise<ServerData> {
  const started = performance.now()
  await fs.mkdir(dataDir, { recursive: true })
  const { db, sqlite } = await openDatabase(path.join(dataDir, 'portal.sqlite'))
  await seedDemo(db, dataDir, systemClock)
  const company = sqlite.prepare('SELECT id, last_seq FROM companies').get() as {
    id: string
    last_seq: number
  }
  const byEmail = (email: string) =>
    (sqlite.prepare('SELECT id, name FROM users WHERE email = ?').get(email) as {
      id: string
      name: string
    })!
  const ada = byEmail('admin@demo.test')
  const sam = byEmail('staff@demo.test')
  sqlite.pragma('synchronous = OFF')

  const random = rng(opts.seed ?? 11)
  const text = textSource(opts.seed ?? 11)
  const N = opts.messages
  const T = opts.threads
  const now = Date.now()
  const span = 180 * 86_400_000
  const t0 = now - span - 3_600_000
  const step = span / N
  let seq = company.last_seq
  const password = await hashPassword(DEMO_PASSWORD)
  const nowIso = new Date(now).toISOString()
  const expires = new Date(now + 30 * 86_400_000).toISOString()
  const noMail = JSON.stringify({
    emailOnNewMessage: false,
    emailUrgent: false,
    emailDigest: false,
  })

  const projectCount = Math.max(4, Math.round(T / 500))
  const projects = Array.from({ length: projectCount }, (_, i) => ({
    id: uuid7At(t0 + i),
    name: `${text.project(i)} (bench)`,
    customer: { id: uuid7At(t0 + 1000 + i), name: text.person(40 + i), token: newToken() },
  }))
  const deskTokens: string[] = []

  const insertUser = sqlite.prepare(
    `INSERT INTO users (id, company_id, role, name, email, password_hash, portal_access, preferences, seq, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
  )
  const insertSession = sqlite.prepare(
    'INSERT INTO sessions (token_hash, user_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, NULL)',
  )
  sqlite.transaction(() => {
    for (const [i, p] of projects.entries()) {
      sqlite
        .prepare(
          `INSERT INTO projects (id, company_id, name, stage, seq, created_at) VALUES (?, ?, ?, 'construction', ?, ?)`,
        )
        .run(p.id, company.id, p.name, ++seq, nowIso)
      insertUser.run(
        p.customer.id,
        company.id,
        'customer',
        p.customer.name,
        `bench-customer-${i}@bench.test`,
        password,
        JSON.stringify({ emailOnNewMessage: true, emailUrgent: false, emailDigest: false }),
        ++seq,
        nowIso,
      )
      insertSession.run(sha256(p.customer.token), p.customer.id, nowIso, expires)
      for (const member of [ada.id, sam.id, p.customer.id])
        sqlite
          .prepare('INSERT INTO project_members (project_id, user_id) VALUES (?, ?)')
          .run(p.id, member)
    }
    // Desk users: staff with the admin role, so each socket is in the company's admin room and
    // receives every thread's events, without being on 200-person project teams.
    for (let i = 0; i < opts.deskUsers; i++) {
      const id = uuid7At(t0 + 5000 + i)
      const token = newToken()
      insertUser.run(
        id,
        company.id,
        'admin',
        `Desk ${i}`,
        `desk-${i}@bench.test`,
        password,
        noMail,
        ++seq,
        nowIso,
      )
      insertSession.run(sha256(token), id, nowIso, expires)
      deskTokens.push(token)
    }
  })()

  // Pass 1: which thread each message goes to (threads open over time; a message goes to one of
  // the ~60 newest, favouring the newest), so a thread's last message is known when it is written.
  const threadOf = new Int32Array(N)
  const remaining = new Int32Array(T)
  for (let i = 0; i < N; i++) {
    const newest = Math.min(T - 1, Math.floor((i * T) / N))
    const t = Math.max(0, newest - Math.floor(random() * random() * 60))
    threadOf[i] = t
    remaining[t] = (remaining[t] ?? 0) + 1
  }

  interface ThreadState {
    id: string
    project: (typeof projects)[number]
    subject: string
    createdBy: string
    createdAt: string
    lastAt: string
    lastPreview: string
    lastSender: string
    publicAt: string
    publicPreview: string
    publicSender: string
    waitingSince: string | null
    seq: number
  }
  const threads: (ThreadState | undefined)[] = new Array(T)
  const messages: unknown[][] = []
  const fts: unknown[][] = []
  const firstPk =
    ((sqlite.prepare('SELECT max(pk) FROM messages').pluck().get() as number | null) ?? 0) + 1
  for (let i = 0; i < N; i++) {
    const t = threadOf[i]!
    const ms = Math.floor(t0 + i * step)
    const at = new Date(ms).toISOString()
    const project = projects[t % projects.length]!
    const r = random()
    const customerSide = r < 0.45
    const author = customerSide ? project.customer : r < 0.7 ? ada : sam
    const internal = !customerSide && r > 0.95
    const body = text.body()
    let th = threads[t]
    if (!th) {
      th = {
        id: uuid7At(ms),
        project,
        subject: text.subject(),
        createdBy: author.id,
        createdAt: at,
        lastAt: at,
        lastPreview: '',
        lastSender: author.id,
        publicAt: at,
        publicPreview: '',
        publicSender: author.id,
        waitingSince: null,
        seq: 0,
      }
      threads[t] = th
    }
    const id = uuid7At(ms)
    const pk = firstPk + i
    messages.push([
      pk,
      id,
      company.id,
      th.id,
      project.id,
      author.id,
      uuid7At(ms),
      sha256(`${id}:${body}`),
      body,
      internal ? 1 : 0,
      customerSide && random() < 0.01 ? 1 : 0,
      at,
      ++seq,
    ])
    fts.push([pk, th.subject, body, author.name])
    th.lastAt = at
    th.lastPreview = internal ? `Internal note: ${preview(body)}` : preview(body)
    th.lastSender = author.id
    if (!internal) {
      th.publicAt = at
      th.publicPreview = preview(body)
      th.publicSender = author.id
      th.waitingSince = customerSide ? (th.waitingSince ?? at) : null
    }
    remaining[t] = remaining[t]! - 1
    // The thread row changes with each message; its seq is the one after its last message.
    if (remaining[t] === 0) th.seq = ++seq
  }

  const insertThread = sqlite.prepare(
    `INSERT INTO threads (id, company_id, project_id, client_id, subject, status, assignee_id, snoozed_until, waiting_since, urgent,
       created_by, created_at, last_at, last_preview, last_sender_id, public_last_at, public_preview, public_sender_id, seq)
     VALUES (?, ?, ?, ?, ?, 'open', NULL, NULL, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertParticipant = sqlite.prepare(
    'INSERT INTO thread_participants (thread_id, user_id, added_by, added_at) VALUES (?, ?, ?, ?)',
  )
  const insertMessage = sqlite.prepare(
    `INSERT INTO messages (pk, id, company_id, thread_id, project_id, author_id, client_id, content_hash, body, internal, urgent, created_at, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertFts = sqlite.prepare(
    `INSERT INTO messages_fts (rowid, subject, body, sender, attachments) VALUES (?, ?, ?, ?, '')`,
  )
  const postable: { threadId: string; token: string; at: string }[] = []
  let threadCount = 0
  sqlite.transaction(() => {
    for (const th of threads) {
      if (!th) continue
      threadCount++
      insertThread.run(
        th.id,
        company.id,
        th.project.id,
        uuid7At(Date.parse(th.createdAt)),
        th.subject,
        th.waitingSince,
        th.createdBy,
        th.createdAt,
        th.lastAt,
        th.lastPreview,
        th.lastSender,
        th.publicAt,
        th.publicPreview,
        th.publicSender,
        th.seq,
      )
      // The author and the project's people, as MessagingService.create adds them.
      for (const user of new Set([th.createdBy, th.project.customer.id, ada.id, sam.id]))
        insertParticipant.run(th.id, user, th.createdBy, th.createdAt)
      postable.push({ threadId: th.id, token: th.project.customer.token, at: th.lastAt })
    }
  })()
  for (let i = 0; i < N; i += 20_000) {
    sqlite.transaction(() => {
      for (let j = i; j < Math.min(N, i + 20_000); j++) {
        insertMessage.run(...messages[j]!)
        insertFts.run(...fts[j]!)
      }
    })()
  }
  sqlite.prepare('UPDATE companies SET last_seq = ? WHERE id = ?').run(seq, company.id)
  await db.destroy()
  return {
    dataDir,
    messages: N,
    threads: threadCount,
    deskTokens,
    postable: postable
      .sort((a, b) => (a.at < b.at ? 1 : -1))
      .slice(0, 500)
      .map(({ threadId, token }) => ({ threadId, token })),
    seconds: (performance.now() - started) / 1000,
  }
}
