/**
 * SIGKILL during cache writes, many times in a row: an engine process writes replies into its
 * outbox (each acknowledged to this process the moment the outbox holds it) while it sends them
 * and syncs a burst of messages another person posts, and is killed at a random moment, now and
 * then before it has even finished opening. After every kill the cache file must pass SQLite's
 * integrity check, its full-text index must match its messages, and every acknowledged reply must
 * be in the outbox or already on the server. At the end the last engine drains the outbox and
 * every acknowledged reply is on the server exactly once, in the order it was written.
 *
 * 15 kills inside `npm test`, 100 under `npm run test:faults`.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { type Api, signIn } from '../support/api'
import { EngineChild } from '../support/engine-child'
import { startServer, type RunningServer } from '../support/server'
import { readFeed } from '../support/view'
import { long, random, seedFromEnv, sleep, table, until } from './harness'

const KILLS = long ? 100 : 15

let server: RunningServer | null = null
const tempDirs: string[] = []

process.once('exit', () => server?.process.kill('SIGKILL'))
afterAll(async () => {
  await EngineChild.killAll()
  await server?.kill()
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true })
})

/**
 * What a killed process left behind. A copy of the cache file and its WAL is opened (SQLite
 * recovers it as the app would), so the next engine process still opens the files exactly as
 * the killed one left them.
 */
async function inspectCache(file: string, copyDir: string) {
  await fs.rm(copyDir, { recursive: true, force: true })
  await fs.mkdir(copyDir, { recursive: true })
  const copy = path.join(copyDir, path.basename(file))
  await fs.copyFile(file, copy)
  await fs.copyFile(`${file}-wal`, `${copy}-wal`).catch(() => undefined)
  const db = new Database(copy)
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ')
    let fts = 'ok'
    try {
      db.prepare("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')").run()
    } catch (err) {
      fts = String(err)
    }
    // The index and the messages are written in the same transactions: they never disagree.
    const unindexed = (
      db
        .prepare(
          'SELECT count(*) AS n FROM messages m WHERE NOT EXISTS (SELECT 1 FROM messages_fts f WHERE f.rowid = m.pk)',
        )
        .get() as { n: number }
    ).n
    const orphans = (
      db
        .prepare(
          'SELECT count(*) AS n FROM messages_fts f WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.pk = f.rowid)',
        )
        .get() as { n: number }
    ).n
    const outbox = new Set(
      (db.prepare('SELECT payload FROM outbox').all() as { payload: string }[]).map(
        (r) => (JSON.parse(r.payload) as { body?: string }).body ?? '',
      ),
    )
    const bodies = new Set(
      (db.prepare('SELECT body FROM messages').all() as { body: string }[]).map((r) => r.body),
    )
    return { integrity, fts, unindexed, orphans, outbox, bodies }
  } finally {
    db.close()
  }
}

describe('SIGKILL during cache writes', () => {
  it(
    `${KILLS} kills in a row leave a sound cache and lose no acknowledged reply`,
    { timeout: long ? 1_200_000 : 120_000 },
    async () => {
      const seed = seedFromEnv()
      const rnd = random(seed)
      const run = randomUUID().slice(0, 8)
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portal-kill-'))
      tempDirs.push(dataDir)
      const cacheFile = path.join(dataDir, 'cache.sqlite')
      const inspectDir = `${dataDir}-inspect`
      tempDirs.push(inspectDir)
      // The first engine process loads while the server seeds its demo data.
      const starting = EngineChild.start(dataDir)
      // The admin's bursts (up to 200 messages a round, 100 rounds) are load, not a person:
      // the write limits would refuse them, and they are not what this suite is about.
      server = await startServer({ env: { PORTAL_WRITE_LIMITS: 'off' } })
      tempDirs.push(server.dataDir)
      const url = server.url
      const admin = await signIn(url, 'admin@demo.test')

      const threads = (await admin.get('/threads?limit=200')).body.threads as {
        id: string
        subject: string
      }[]
      const threadId = threads.find((t) => t.subject.startsWith('Schedule: drywall'))!.id

      // Signed in once; every later process resumes the session from the data dir.
      const first = await starting
      await first.call('signIn', {
        serverUrl: url,
        email: 'staff@demo.test',
        password: 'portal-demo',
      })
      await first.close()

      /** Every message body the server holds, read incrementally from admin's change feed. */
      const onServer = new Map<string, number>()
      let cursor = 0
      const readServer = async (api: Api) => {
        for (let page = 0; page < 1000; page++) {
          const res = await api.get(`/changes?after=${cursor}&limit=5000`)
          const body = res.body as {
            changes: { messages: { id: string; body: string; seq: number }[] }
            cursor: number
            hasMore: boolean
          }
          for (const m of body.changes.messages) {
            if (!onServer.has(m.body) || (onServer.get(m.body) ?? 0) < m.seq)
              onServer.set(m.body, m.seq)
          }
          cursor = body.cursor
          if (!body.hasMore) break
        }
      }

      const acked: string[] = []
      /** Acknowledged replies that were still in the outbox at the last kill. */
      let waiting = new Set<string>()
      const problems: string[] = []
      const counts = {
        kills: 0,
        'killed while opening': 0,
        'acks total': 0,
        'acks still in the outbox at a kill': 0,
        'acks already on the server at a kill': 0,
        'older acks delivered by a process later killed': 0,
        'server messages posted': 0,
        'integrity checks ok': 0,
      }
      const started = Date.now()
      const openMs: number[] = []

      // Each process is forked while the one before still runs and opens its engine only once
      // that one is dead and its cache checked, so loading the code does not add to each round.
      let next = EngineChild.spawn(dataDir, { deferred: true })
      for (let i = 0; i < KILLS; i++) {
        const engine = next
        engine.onAck = (a) => acked.push(a.body)
        await engine.whenLoaded()
        const opened = Date.now()
        engine.open()
        next = EngineChild.spawn(dataDir, { deferred: true })
        const duringOpen = rnd.next() < 0.2
        let posting = true
        // Another person writes a burst in the same thread, so the engine applies pushes and pulls
        // while it writes and sends.
        const burst = (async () => {
          for (let k = 0; posting && k < 200; k++) {
            const res = await admin.post(`/threads/${threadId}/messages`, {
              clientId: randomUUID(),
              body: `${run}|admin|${i}|${k}`,
            })
            if (res.status >= 300) throw new Error(`admin post: ${res.status}`)
            counts['server messages posted']++
            await sleep(rnd.int(0, 20))
          }
        })()
        if (duringOpen) {
          // In Engine.open (migrations, the outbox reset) or the first catch-up pull after it.
          await sleep(rnd.int(0, 80))
          if (!engine.isReady) counts['killed while opening']++
        } else {
          await engine.whenReady()
          openMs.push(Date.now() - opened)
          void engine
            .burst(threadId, `${run}|sam|${i}|`, rnd.int(5, long ? 40 : 25), rnd.int(0, 4))
            .catch(() => undefined)
          await sleep(rnd.int(0, 800))
        }
        await engine.kill()
        counts.kills++
        posting = false
        await burst

        const cache = await inspectCache(cacheFile, inspectDir)
        await readServer(admin)
        if (cache.integrity === 'ok') counts['integrity checks ok']++
        else problems.push(`kill ${i}: integrity_check says ${cache.integrity}`)
        if (cache.fts !== 'ok') problems.push(`kill ${i}: FTS integrity-check: ${cache.fts}`)
        if (cache.unindexed || cache.orphans)
          problems.push(
            `kill ${i}: ${cache.unindexed} messages without an FTS row, ${cache.orphans} FTS rows without a message`,
          )
        for (const body of acked) {
          const inOutbox = cache.outbox.has(body)
          if (!inOutbox && !onServer.has(body))
            problems.push(
              `kill ${i}: acknowledged “${body}” is neither in the outbox nor on the server`,
            )
          if (!cache.bodies.has(body))
            problems.push(`kill ${i}: acknowledged “${body}” is not in the cache`)
        }
        // Replies acknowledged by earlier processes that this one sent before it was killed.
        for (const body of waiting)
          if (!cache.outbox.has(body)) counts['older acks delivered by a process later killed']++
        waiting = new Set(acked.filter((b) => cache.outbox.has(b)))
        const mine = acked.filter((b) => b.startsWith(`${run}|sam|${i}|`))
        counts['acks total'] = acked.length
        counts['acks still in the outbox at a kill'] += mine.filter((b) =>
          cache.outbox.has(b),
        ).length
        counts['acks already on the server at a kill'] += mine.filter(
          (b) => !cache.outbox.has(b),
        ).length
        if (problems.length > 20) break
      }

      const loopMs = Date.now() - started

      // The last start: the outbox drains and every acknowledged reply is there exactly once.
      const last = next
      const drainStarted = Date.now()
      last.open()
      await last.whenReady()
      await until(
        async () => (await last.state()).outbox === 0,
        'the outbox to drain',
        long ? 300_000 : 60_000,
      )
      const drainMs = Date.now() - drainStarted
      const all = (await readFeed(admin)).messages.filter((m) => m.body.startsWith(`${run}|`))
      await last.close()
      const byBody = new Map<string, number[]>()
      for (const m of all) byBody.set(m.body, [...(byBody.get(m.body) ?? []), m.seq])
      const lost = acked.filter((b) => !byBody.has(b))
      const duplicated = [...byBody].filter(([, seqs]) => seqs.length > 1).map(([b]) => b)
      let outOfOrder = 0
      for (let k = 1; k < acked.length; k++) {
        const before = byBody.get(acked[k - 1]!)?.[0]
        const after = byBody.get(acked[k]!)?.[0]
        if (before !== undefined && after !== undefined && after <= before) outOfOrder++
      }

      console.log(
        [
          '',
          `SIGKILL during cache writes (${long ? 'long' : 'short'} run, seed ${seed}, ${Math.round(loopMs / 1000)} s of kills)`,
          table([counts]),
          `a kill every ${Math.round(loopMs / Math.max(1, counts.kills))} ms on average; Engine.open took ${Math.round(openMs.reduce((a, b) => a + b, 0) / Math.max(1, openMs.length))} ms on average`,
          `afterwards: the last process drained ${waiting.size} waiting replies in ${drainMs} ms; ${acked.length} acknowledged replies, lost ${lost.length}, duplicated ${duplicated.length}, out of order ${outOfOrder}; problems ${problems.length}`,
          '',
        ].join('\n'),
      )
      expect(problems).toEqual([])
      expect(counts.kills).toBe(KILLS)
      expect(lost).toEqual([])
      expect(duplicated).toEqual([])
      expect(outOfOrder).toBe(0)
      expect(acked.length).toBeGreaterThan(KILLS)
    },
  )
})
