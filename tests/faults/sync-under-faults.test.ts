/**
 * Sync under faults: engines in their own processes and customers on the REST API write
 * messages while a proxy refuses, delays, resets and blackholes their connections, the server is
 * SIGKILLed and restarted on the same port and data, and engine processes are SIGKILLed and
 * restarted on the same data dir. Afterwards nothing acknowledged is lost, nothing is doubled,
 * each author's order holds in each thread, and every engine's cache equals the server's view
 * for its person within 5 s.
 *
 * Short inside `npm test`; long under `npm run test:faults`. FAULT_SEED=<n> replays a schedule
 * (timing still varies from run to run).
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Api, demoDirectory, signIn } from '../support/api'
import { EngineChild } from '../support/engine-child'
import { FaultProxy } from '../support/proxy'
import { freePort, startServer, type RunningServer } from '../support/server'
import {
  diffViews,
  type Feed,
  feedView,
  hashView,
  pullFeed,
  readFeed,
  type View,
} from '../support/view'
import { long, random, seedFromEnv, sleep, table, until } from './harness'

const plan = long
  ? {
      faultMs: 180_000,
      writerPauseMs: [120, 500],
      networkGapMs: [200, 1500],
      processGapMs: [1500, 5000],
    }
  : {
      faultMs: 8_000,
      writerPauseMs: [120, 500],
      networkGapMs: [200, 1000],
      processGapMs: [1500, 3500],
    }
const CONVERGE_WITHIN_MS = 5_000
/**
 * The writers post every 120–500 ms for minutes, which is load rather than people: a customer's
 * write limit (60 a minute) would refuse them, and limits are not what this suite is about.
 */
const writeLimitsOff = { PORTAL_WRITE_LIMITS: 'off' }

type ThreadKey = 'tile' | 'schedule' | 'windows' | 'order'
const demoSubjects: Record<ThreadKey, string> = {
  tile: 'Tile selection for the primary bath',
  schedule: 'Schedule: drywall delivery next week',
  windows: 'Window package quote',
  order: 'Document request: signed change order #3',
}

interface WriterSpec {
  name: string
  email: string
  kind: 'engine' | 'customer'
  /** Demo threads this person may write in (staff2 is only on Oak Ridge; customers only in their own). */
  threads: ThreadKey[]
  /** Where this writer starts one conversation of its own during the faults. */
  project: 'Maple' | 'Oak'
}

const writers: WriterSpec[] = [
  {
    name: 'sam',
    email: 'staff@demo.test',
    kind: 'engine',
    threads: ['tile', 'schedule', 'windows', 'order'],
    project: 'Maple',
  },
  {
    name: 'tess',
    email: 'staff2@demo.test',
    kind: 'engine',
    threads: ['windows', 'order'],
    project: 'Oak',
  },
  {
    name: 'ada',
    email: 'admin@demo.test',
    kind: 'engine',
    threads: ['tile', 'schedule', 'windows'],
    project: 'Maple',
  },
  // The long run adds Sam's second computer: one person, two caches.
  ...(long
    ? [
        {
          name: 'sam-laptop',
          email: 'staff@demo.test',
          kind: 'engine' as const,
          threads: ['schedule', 'order'] as ThreadKey[],
          project: 'Oak' as const,
        },
      ]
    : []),
  {
    name: 'carla',
    email: 'customer@demo.test',
    kind: 'customer',
    threads: ['tile', 'schedule'],
    project: 'Maple',
  },
  {
    name: 'ben',
    email: 'customer2@demo.test',
    kind: 'customer',
    threads: ['windows', 'order'],
    project: 'Oak',
  },
]

/** One message a writer meant to write, in the order it wrote them. */
interface Written {
  writer: string
  /** A demo thread's id, or `new:<writer>#<attempt>` for a conversation the writer started. */
  thread: string
  n: number
  body: string
  acked: boolean
  error?: string
}

type FaultKind = 'refuse' | 'blackhole' | 'delay' | 'reset' | 'server-kill' | 'engine-kill'

let server: RunningServer | null = null
let proxy: FaultProxy | null = null
const engines = new Map<string, EngineChild>()
const tempDirs: string[] = []

process.once('exit', () => server?.process.kill('SIGKILL'))
afterAll(async () => {
  await EngineChild.killAll()
  await proxy?.stop()
  await server?.kill()
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true })
})

describe('sync under faults', () => {
  it(
    'loses nothing, doubles nothing, keeps each author’s order, and every cache converges',
    { timeout: long ? 900_000 : 120_000 },
    async () => {
      const seed = seedFromEnv()
      const rnd = random(seed)
      const run = randomUUID().slice(0, 8)
      const port = await freePort()
      // Engine processes load while the server seeds its demo data.
      const engineWriterSpecs = writers.filter((w) => w.kind === 'engine')
      const dataDirs = new Map<string, string>()
      for (const w of engineWriterSpecs) {
        const d = await fs.mkdtemp(path.join(os.tmpdir(), `portal-fault-${w.name}-`))
        tempDirs.push(d)
        dataDirs.set(w.name, d)
      }
      const starting = engineWriterSpecs.map((w) => EngineChild.start(dataDirs.get(w.name)!))
      server = await startServer({ port, env: writeLimitsOff })
      const dataDir = server.dataDir
      tempDirs.push(dataDir)
      proxy = await new FaultProxy({ host: '127.0.0.1', port }).start()
      const px = proxy

      // Direct sessions (never through the proxy) for verification, one per person.
      const direct = new Map<string, Api>()
      for (const email of new Set(writers.map((w) => w.email)))
        direct.set(email, await signIn(server.url, email))
      const admin = direct.get('admin@demo.test')!
      const dir = await demoDirectory(admin)
      const listed = (await admin.get('/threads?limit=200')).body.threads as {
        id: string
        subject: string
      }[]
      const threadIds = {} as Record<ThreadKey, string>
      for (const key of Object.keys(demoSubjects) as ThreadKey[]) {
        const t = listed.find((x) => x.subject === demoSubjects[key])
        if (!t) throw new Error(`demo thread “${demoSubjects[key]}” not found`)
        threadIds[key] = t.id
      }

      // ---- engines: one process each, signed in through the proxy ----
      const failures: { writer: string; code: string | null; error: string | null }[] = []
      const restarts = new Map<string, number>()
      const heldSentAnyway = new Map<string, number>()
      const watch = (name: string, e: EngineChild) => {
        e.onFailed = (f) => failures.push({ writer: name, code: f.code, error: f.error })
        e.onHeld = () => heldSentAnyway.set(name, (heldSentAnyway.get(name) ?? 0) + 1)
        engines.set(name, e)
      }
      await Promise.all(
        engineWriterSpecs.map(async (w, i) => {
          const e = await starting[i]!
          watch(w.name, e)
          await e.call('signIn', { serverUrl: px.url, email: w.email, password: 'portal-demo' })
          await e.sendHeldAnyway(true)
        }),
      )

      /** The server's view for a person, read in full from cursor 0 through a direct session. */
      const serverView = async (email: string): Promise<View> =>
        feedView(await readFeed(direct.get(email)!))

      // While the suite waits for convergence it follows each person's feed incrementally, so
      // polling stays light and does not slow down the engines it is timing; a full read from
      // cursor 0 confirms the result at the end.
      const feeds = new Map<string, Feed>()
      const feedHashes = new Map<string, { cursor: number; hash: string }>()
      const followedHash = async (email: string): Promise<string> => {
        const feed = await pullFeed(direct.get(email)!, feeds.get(email))
        feeds.set(email, feed)
        const cached = feedHashes.get(email)
        if (cached?.cursor === feed.cursor) return cached.hash
        const hash = hashView(
          feedView({ threads: feed.threads.values(), messages: feed.messages.values() }),
        )
        feedHashes.set(email, { cursor: feed.cursor, hash })
        return hash
      }

      // Every engine starts equal to the server: the comparison itself is sound.
      for (const w of writers.filter((x) => x.kind === 'engine')) {
        const expected = hashView(await serverView(w.email))
        expect(await followedHash(w.email)).toBe(expected)
        await until(
          async () => (await engines.get(w.name)!.state()).hash === expected,
          `${w.name} initial sync`,
        )
      }

      // ---- writers ----
      const written: Written[] = []
      let writing = true
      const hardDeadline = Date.now() + plan.faultMs + 60_000
      const pause = () => rnd.int(plan.writerPauseMs[0]!, plan.writerPauseMs[1]!)

      /**
       * One writer's day: a pause, then either the conversation it starts (once, at a random
       * moment; tried again until one is acknowledged) or a reply into one it may write in. Each
       * write is recorded before it is tried, so the checks below know what was asked of whom.
       */
      const writeUntilStopped = async (
        w: WriterSpec,
        write: {
          /** False while the writer cannot write (its engine process is down). */
          ready: () => boolean
          /** Starts the writer's conversation; answers the id to write into it by, or null. */
          start: (rec: Written) => Promise<string | null>
          reply: (rec: Written, target: string) => Promise<void>
        },
      ) => {
        let n = 0
        // The conversation this writer starts: its key in the record, and its id for writing.
        let own: { key: string; ref: string } | null = null
        let attempts = 0
        const startOwnAt = rnd.int(0, Math.floor(plan.faultMs / 2))
        const started = Date.now()
        const record = (key: string) => {
          const body = `${run}|${w.name}|${key}|${n}`
          const rec: Written = { writer: w.name, thread: key, n: n++, body, acked: false }
          written.push(rec)
          return rec
        }
        while (writing && Date.now() < hardDeadline) {
          await sleep(pause())
          if (!write.ready()) continue
          if (!own && Date.now() - started >= startOwnAt) {
            const key = `new:${w.name}#${attempts++}`
            const ref = await write.start(record(key))
            if (ref) own = { key, ref }
            continue
          }
          const choices: string[] = [...w.threads.map((k) => threadIds[k])]
          if (own) choices.push(own.ref)
          const target = rnd.pick(choices)
          await write.reply(record(target === own?.ref ? own.key : target), target)
        }
      }

      const engineWriter = (w: WriterSpec) => {
        const engine = () => engines.get(w.name)!
        return writeUntilStopped(w, {
          ready: () => engines.get(w.name)?.alive === true,
          start: async (rec) => {
            try {
              const result = await engine().call('createThread', {
                projectId: dir.project(w.project),
                subject: `Started by ${w.name} during faults ${run}`,
                body: rec.body,
              })
              rec.acked = true
              // The local id; the engine process finds the conversation by it after the server renames it.
              return result.threadId
            } catch (err) {
              rec.error = String(err)
              return null
            }
          },
          reply: async (rec, target) => {
            try {
              await engine().reply(target, rec.body)
              rec.acked = true
            } catch (err) {
              rec.error = String(err)
            }
          },
        })
      }

      const customerWriter = async (w: WriterSpec) => {
        const token = (await signIn(server!.url, w.email)).token!
        let retries = 0
        // A real client: the same client id again until the server answers, backing off a little.
        const post = async (rec: Written, pathname: string, payload: object) => {
          for (let attempt = 0; Date.now() < hardDeadline; attempt++) {
            if (attempt) {
              retries++
              await sleep(Math.min(1000, 100 * attempt))
            }
            let res: Response
            try {
              res = await fetch(`${px.url}/api/v1${pathname}`, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify(payload),
                signal: AbortSignal.timeout(3000),
              })
            } catch {
              continue
            }
            const text = await res.text().catch(() => null)
            if (text === null) continue
            if (res.ok) {
              rec.acked = true
              return JSON.parse(text) as { thread: { id: string } }
            }
            if (res.status >= 500 || res.status === 408 || res.status === 429) continue
            rec.error = `${res.status} ${text}`
            return null
          }
          rec.error = 'gave up at the deadline'
          return null
        }
        await writeUntilStopped(w, {
          ready: () => true,
          start: async (rec) =>
            (
              await post(rec, '/threads', {
                clientId: randomUUID(),
                projectId: dir.project(w.project),
                subject: `Asked by ${w.name} during faults ${run}`,
                body: rec.body,
              })
            )?.thread.id ?? null,
          reply: async (rec, target) => {
            await post(rec, `/threads/${target}/messages`, {
              clientId: randomUUID(),
              body: rec.body,
            })
          },
        })
        return retries
      }

      // ---- faults: the network and the processes, on two independent schedules ----
      const faults: Record<FaultKind, number> = {
        refuse: 0,
        blackhole: 0,
        delay: 0,
        reset: 0,
        'server-kill': 0,
        'engine-kill': 0,
      }
      const faultEnd = Date.now() + plan.faultMs
      const gap = (range: number[]) => sleep(rnd.int(range[0]!, range[1]!))

      const networkFaults = async () => {
        // Every kind at least once, in a random order, then at random until the time is up.
        const first = rnd.shuffle(['refuse', 'blackhole', 'delay', 'reset'] as const)
        while (Date.now() < faultEnd || first.length) {
          const kind = first.shift() ?? rnd.pick(['refuse', 'blackhole', 'delay', 'reset'] as const)
          faults[kind]++
          switch (kind) {
            case 'refuse':
              px.set('refuse')
              await sleep(rnd.int(300, 2000))
              px.set('pass')
              break
            case 'blackhole':
              px.set('blackhole')
              await sleep(rnd.int(300, 5000))
              px.set('pass')
              break
            case 'delay':
              px.delayMs = rnd.int(20, 600)
              await sleep(rnd.int(500, 3000))
              px.delayMs = 0
              break
            case 'reset':
              px.resetAll()
              break
          }
          await gap(plan.networkGapMs)
        }
        // The last fault is a blackhole longer than the engines' request timeout: sends time out
        // while the WebSocket stays up, the hardest case for noticing that the network is back.
        faults.blackhole++
        px.set('blackhole')
        await sleep(rnd.int(3500, 4500))
        px.set('pass')
      }

      const processFaults = async () => {
        const first = rnd.shuffle(['server-kill', 'engine-kill'] as const)
        await gap(plan.processGapMs)
        while (Date.now() < faultEnd || first.length) {
          const kind =
            first.shift() ?? rnd.pick(['server-kill', 'engine-kill', 'engine-kill'] as const)
          faults[kind]++
          if (kind === 'server-kill') {
            await server!.kill()
            await sleep(rnd.int(0, 1500))
            server = await startServer({ dataDir, port, env: writeLimitsOff })
          } else {
            const name = rnd.pick([...engines.keys()])
            await engines.get(name)!.kill()
            restarts.set(name, (restarts.get(name) ?? 0) + 1)
            await sleep(rnd.int(0, 1500))
            const e = await EngineChild.start(dataDirs.get(name)!)
            watch(name, e)
            await e.sendHeldAnyway(true)
          }
          await gap(plan.processGapMs)
        }
      }

      const writerRuns = writers.map((w) =>
        w.kind === 'engine' ? engineWriter(w).then(() => 0) : customerWriter(w),
      )
      try {
        await Promise.all([networkFaults(), processFaults()])
      } finally {
        // The faults stop: the network passes, the server and every engine are up.
        px.set('pass')
        px.delayMs = 0
        writing = false
      }
      const faultsStopped = Date.now()
      const customerRetries = await Promise.all(writerRuns)
      const writersDone = Date.now() - faultsStopped

      // ---- convergence: each engine's cache equals the server's view for its person ----
      const converged = new Map<string, number>()
      // When each engine was first back online and first had an empty outbox, for the report.
      const onlineAt = new Map<string, number>()
      const drainedAt = new Map<string, number>()
      const lastState = new Map<string, unknown>()
      const engineWriters = writers.filter((w) => w.kind === 'engine')
      await until(
        async () => {
          for (const w of engineWriters) {
            const state = await engines.get(w.name)!.state()
            lastState.set(w.name, state)
            const at = Date.now() - faultsStopped
            if (state.connection === 'online' && !onlineAt.has(w.name)) onlineAt.set(w.name, at)
            if (state.outbox === 0 && !drainedAt.has(w.name)) drainedAt.set(w.name, at)
            const equal = state.outbox === 0 && state.hash === (await followedHash(w.email))
            if (!equal) converged.delete(w.name)
            else if (!converged.has(w.name)) converged.set(w.name, at)
          }
          return converged.size === engineWriters.length
        },
        'every engine to converge',
        20_000,
        50,
      ).catch(async (err: unknown) => {
        const details: string[] = []
        for (const w of engineWriters) {
          if (converged.has(w.name)) continue
          const e = engines.get(w.name)!
          const mine = await e.view()
          const outbox = (await e.call('listOutbox', {})).map(
            (x) =>
              `#${x.id} ${x.kind} ${x.state} attempts ${x.attempts} next ${x.nextAttemptAt ?? '-'} ${x.errorCode ?? ''} ${x.error ?? ''}`,
          )
          details.push(
            `${w.name}: ${JSON.stringify(lastState.get(w.name))} at ${new Date().toISOString()}\n  ${diffViews(mine.view, await serverView(w.email)).join('\n  ')}\n  outbox:\n    ${outbox.join('\n    ')}\n  ${(await e.call('getConnection', {})).reason ?? ''}`,
          )
        }
        throw new Error(
          `${String(err)}\n${details.join('\n')}\nserver log (tail):\n${server?.output().slice(-3000) ?? ''}`,
        )
      })
      // Confirmed against a full read of each person's feed from cursor 0.
      const unconfirmed: string[] = []
      for (const w of engineWriters) {
        const full = await serverView(w.email)
        const mine = await engines.get(w.name)!.view()
        if (mine.hash !== hashView(full))
          unconfirmed.push(`${w.name}: ${diffViews(mine.view, full).join('; ')}`)
      }
      expect(unconfirmed, 'caches equal to a full read of the feed').toEqual([])

      // ---- what the server holds ----
      const all = await readFeed(admin)
      const threadOf = new Map(all.threads.map((t) => [t.id, t]))
      const byBody = new Map<string, typeof all.messages>()
      for (const m of all.messages) byBody.set(m.body, [...(byBody.get(m.body) ?? []), m])
      const duplicated = [...byBody].filter(([, list]) => list.length > 1).map(([body]) => body)

      const lost = written.filter((w) => w.acked && !byBody.has(w.body))
      // A message must land in the thread its writer meant.
      const ownThreads = new Map<string, string>()
      for (const w of written) {
        const m = byBody.get(w.body)?.[0]
        if (w.thread.startsWith('new:') && m && !ownThreads.has(w.thread))
          ownThreads.set(w.thread, m.threadId)
      }
      const misplaced = written.filter((w) => {
        const m = byBody.get(w.body)?.[0]
        if (!m) return false
        const meant = w.thread.startsWith('new:') ? ownThreads.get(w.thread) : w.thread
        return m.threadId !== meant || !threadOf.has(m.threadId)
      })
      // Order per author per thread: the server's order (seq within a thread) follows the writing order.
      let outOfOrder = 0
      const outOfOrderExamples: string[] = []
      const groups = new Map<string, Written[]>()
      for (const w of written) {
        const k = `${w.writer} ${w.thread}`
        groups.set(k, [...(groups.get(k) ?? []), w])
      }
      for (const [k, list] of groups) {
        const seqs = list
          .sort((a, b) => a.n - b.n)
          .map((w) => byBody.get(w.body)?.[0]?.seq)
          .filter((s): s is number => s !== undefined)
        for (let i = 1; i < seqs.length; i++) {
          if (seqs[i]! <= seqs[i - 1]!) {
            outOfOrder++
            if (outOfOrderExamples.length < 5) outOfOrderExamples.push(`${k} at #${i}`)
          }
        }
      }

      // ---- the report ----
      const perWriter = writers.map((w, i) => {
        const mine = written.filter((x) => x.writer === w.name)
        return {
          writer: w.name,
          as: w.email,
          via: w.kind === 'engine' ? 'engine process' : 'REST API',
          written: mine.length,
          acknowledged: mine.filter((x) => x.acked).length,
          'unacked, on server': mine.filter((x) => !x.acked && byBody.has(x.body)).length,
          'unacked, absent': mine.filter((x) => !x.acked && !byBody.has(x.body)).length,
          'api retries': w.kind === 'customer' ? customerRetries[i] : '',
          'held, sent anyway': w.kind === 'engine' ? (heldSentAnyway.get(w.name) ?? 0) : '',
          restarts: w.kind === 'engine' ? (restarts.get(w.name) ?? 0) : '',
          'online after ms': onlineAt.get(w.name) ?? '',
          'outbox empty after ms': drainedAt.get(w.name) ?? '',
          'converged in ms': converged.get(w.name) ?? '',
        }
      })
      const report = [
        '',
        `Sync under faults (${long ? 'long' : 'short'} run, seed ${seed}, ${Math.round(plan.faultMs / 1000)} s of faults)`,
        table(perWriter),
        '',
        `faults injected: ${Object.entries(faults)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
        `proxy: ${px.stats.forwarded} connections forwarded, ${px.stats.refused} refused, ${px.stats.held} held in a blackhole, ${px.stats.reset} sockets reset`,
        `messages written ${written.length}, acknowledged ${written.filter((w) => w.acked).length}, on the server ${written.filter((w) => byBody.has(w.body)).length}`,
        `lost ${lost.length}, duplicated ${duplicated.length}, out of order ${outOfOrder}, in the wrong thread ${misplaced.length}, outbox entries refused ${failures.length}`,
        `converged within ${Math.max(...converged.values())} ms of the faults stopping (limit ${CONVERGE_WITHIN_MS} ms); the writers' last messages were acknowledged after ${writersDone} ms`,
        '',
      ].join('\n')
      console.log(report)

      // A writer may only fail to get an acknowledgement because its engine process was killed.
      const refused = written.filter(
        (w) =>
          w.error && !/exited|not running/.test(w.error) && w.error !== 'gave up at the deadline',
      )
      expect(
        refused.map((w) => `${w.writer}: ${w.error}`),
        'writes refused',
      ).toEqual([])
      expect(failures, 'outbox entries the server refused').toEqual([])
      expect(
        lost.map((w) => w.body),
        'acknowledged messages missing on the server',
      ).toEqual([])
      expect(duplicated, 'bodies the server holds more than once').toEqual([])
      expect(outOfOrderExamples, 'messages out of their author’s order').toEqual([])
      expect(
        misplaced.map((w) => w.body),
        'messages in the wrong thread',
      ).toEqual([])
      for (const kind of Object.keys(faults) as FaultKind[])
        expect(faults[kind], `${kind} faults injected`).toBeGreaterThan(0)
      for (const w of engineWriters)
        expect(converged.get(w.name), `${w.name} converged within 5 s`).toBeLessThanOrEqual(
          CONVERGE_WITHIN_MS,
        )
      // Every writer got messages through: the suite did exercise the system.
      for (const w of writers)
        expect(
          written.filter((x) => x.writer === w.name && x.acked).length,
          `${w.name} acknowledged messages`,
        ).toBeGreaterThanOrEqual(3)
    },
  )
})
