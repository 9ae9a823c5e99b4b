/** The server side of `npm run bench`: initial sync, live delivery, sustained writes, catch-up. */
import { fork, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { v7 as uuidv7 } from 'uuid'
import { openCache } from '../../src/main/core/cache/database'
import { Engine } from '../../src/main/core/engine'
import { MemoryTokenStore } from '../../src/main/core/token-store'
import { startServer, type RunningServer } from '../../tests/support/server'
import { textSource } from './corpus'
import { Relay } from './proxy'
import { generateServerData, type ServerData } from './server-data'
import { epochMs, percentile, sleep } from './stats'
import { RAW_PAGE, notes, record, root, scale, step } from './run'

// ---------------------------------------------------------------------------------------------
// The server side: initial sync, live delivery, sustained writes, catch-up.
// ---------------------------------------------------------------------------------------------

class SocketFleet {
  private readonly child: ChildProcess
  private waiting: ((msg: unknown) => void) | null = null

  constructor() {
    this.child = fork(path.join(root, 'scripts/bench/sockets.ts'), [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    this.child.on('message', (msg) => {
      const w = this.waiting
      this.waiting = null
      w?.(msg)
    })
  }

  private ask<T>(command: object): Promise<T> {
    return new Promise((resolve) => {
      this.waiting = resolve as (msg: unknown) => void
      this.child.send(command)
    })
  }

  connect(url: string, tokens: string[]) {
    return this.ask<{ connected: number }>({ cmd: 'connect', url, tokens })
  }

  report() {
    return this.ask<{ sockets: number; events: number; received: [string, [number, number]][] }>({
      cmd: 'report',
    })
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  close(): void {
    if (this.child.connected) this.child.send({ cmd: 'close' })
    setTimeout(() => this.child.kill(), 2000).unref()
  }
}

async function post(
  url: string,
  token: string,
  threadId: string,
  clientId: string,
  body: string,
): Promise<{ id: string }> {
  const res = await fetch(`${url}/api/v1/threads/${threadId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ clientId, body, internal: false, urgent: false, attachmentIds: [] }),
  })
  const text = await res.text()
  if (res.status !== 201) throw new Error(`POST message: ${res.status} ${text}`)
  return (JSON.parse(text) as { message: { id: string } }).message
}

/** CPU time (user + system) a process has used so far, in ms, from /proc; 0 where there is none. */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 // utime + stime, at USER_HZ 100
  } catch {
    return 0
  }
}

/** Runs `act` and resolves when the engine's connection reaches `state`. */
function whenState(
  engine: Engine,
  state: string,
  act: () => unknown,
  timeoutMs = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`engine not ${state} within ${timeoutMs} ms`))
    }, timeoutMs)
    const stop = engine.events.on('connection', (c) => {
      if (c.state !== state) return
      clearTimeout(timer)
      stop()
      resolve()
    })
    void act()
  })
}

export async function serverBenchmarks(tmp: string): Promise<void> {
  step(`server data: ${scale.syncMessages.toLocaleString('en')} messages`)
  const data: ServerData = await generateServerData(path.join(tmp, 'server'), {
    messages: scale.syncMessages,
    threads: scale.syncMessages / 10,
    deskUsers: scale.engines,
  })
  console.log(
    `  generated ${data.messages} messages in ${data.threads} threads in ${data.seconds.toFixed(1)} s`,
  )
  // Customers here post as fast as the server answers, to measure it: no person's write limit.
  const server: RunningServer = await startServer({
    dataDir: data.dataDir,
    demo: false,
    env: { PORTAL_WRITE_LIMITS: 'off' },
  })
  const fleet = new SocketFleet()
  let engine: Engine | null = null
  let relay: Relay | null = null
  try {
    // ---- initial sync ----
    step('initial sync from the server process into a fresh engine cache')
    engine = await Engine.open({
      dataDir: path.join(tmp, 'engine'),
      tokens: new MemoryTokenStore(),
      prefetch: false,
      sync: { reconnectDelayMs: 100, reconnectDelayMaxMs: 500 },
    })
    let pullStart = 0
    let engineCpu = process.cpuUsage()
    let serverCpu = 0
    const off = engine.events.on('connection', (c) => {
      if (c.state !== 'connecting' || pullStart) return
      pullStart = performance.now()
      engineCpu = process.cpuUsage()
      serverCpu = cpuMs(server.process.pid)
    })
    await engine.sync.signIn(server.url, 'admin@demo.test', 'portal-demo')
    const syncMs = performance.now() - pullStart
    const engineCpuUsage = process.cpuUsage(engineCpu)
    const serverCpuMs = cpuMs(server.process.pid) - serverCpu
    off()
    const db = engine.store.db
    const synced = db.prepare('SELECT count(*) FROM messages').pluck().get() as number
    const engineRate = synced / (syncMs / 1000)
    record('sync.msgs_per_s', engineRate, 'msgs/s', '>= 20000')
    // CPU time per message on each side, which a busy machine does not inflate as it does wall time.
    record(
      'sync.engine_cpu_us_per_msg',
      (engineCpuUsage.user + engineCpuUsage.system) / synced,
      'us',
      'info: engine process (HTTP, parse, apply)',
    )
    record(
      'sync.server_cpu_us_per_msg',
      (serverCpuMs * 1000) / synced,
      'us',
      'info: server process',
    )

    // The same messages, inserted raw (a statement per row, message + FTS row, the engine's page
    // of 5000 per transaction) into a fresh cache with the same schema and pragmas.
    const rows = db
      .prepare(
        `SELECT m.pk, m.id, m.thread_id, m.project_id, m.author_id, m.client_id, m.body, m.internal, m.urgent, m.created_at, m.seq,
           f.subject, f.sender FROM messages m JOIN messages_fts f ON f.rowid = m.pk ORDER BY m.seq`,
      )
      .raw()
      .all() as unknown[][]
    const rawDb = openCache(path.join(tmp, 'raw.sqlite'))
    const insertMessage = rawDb.prepare(
      `INSERT INTO messages (pk, id, thread_id, project_id, author_id, client_id, body, internal, urgent, created_at, seq, outbox_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
    )
    const insertFts = rawDb.prepare(
      `INSERT INTO messages_fts (rowid, subject, body, sender, attachments) VALUES (?, ?, ?, ?, '')`,
    )
    const rawStart = performance.now()
    for (let i = 0; i < rows.length; i += RAW_PAGE) {
      rawDb.transaction(() => {
        for (const r of rows.slice(i, i + RAW_PAGE)) {
          insertMessage.run(...r.slice(0, 11))
          insertFts.run(r[0], r[11], r[6], r[12])
        }
      })()
    }
    const rawRate = rows.length / ((performance.now() - rawStart) / 1000)
    rawDb.close()
    record('sync.raw_msgs_per_s', rawRate, 'msgs/s', 'info: baseline')
    record('sync.ratio_to_raw', engineRate / rawRate, 'x', '>= 0.5')

    // ---- live delivery with N engines connected ----
    step(`live: customer message -> committed in an engine cache, ${scale.engines} engines`)
    const fleetTokens = data.deskTokens.slice(0, scale.engines - 1)
    const { connected } = await fleet.connect(server.url, fleetTokens)
    notes.push(
      `live/server: 1 real engine (admin, in the bench process) + ${connected} light socket.io clients (desk users with the admin role, one session each, in a child process)`,
    )
    for (let i = 0; i < 100 && !engine.sync.online; i++) await sleep(50)
    const seen = db.prepare('SELECT 1 FROM messages WHERE client_id = ?').pluck()
    const waiting = new Map<string, (at: number) => void>()
    engine.events.on('changed', () => {
      if (!waiting.size) return
      const at = epochMs()
      for (const [clientId, done] of waiting)
        if (seen.get(clientId)) {
          waiting.delete(clientId)
          done(at)
        }
    })
    const text = textSource(5)
    const live: { id: string; sent: number; acked: number; committed: number }[] = []
    await fleet.report() // reset
    for (let i = 0; i < scale.liveMessages; i++) {
      const target = data.postable[i % data.postable.length]!
      const clientId = uuidv7()
      let timer: NodeJS.Timeout | undefined
      const committed = new Promise<number>((resolve, reject) => {
        waiting.set(clientId, resolve)
        timer = setTimeout(() => reject(new Error('live message not in the cache in 10 s')), 10_000)
      })
      committed.catch(() => undefined) // awaited below, unless the POST fails first
      const sent = epochMs()
      const message = await post(server.url, target.token, target.threadId, clientId, text.body())
      const acked = epochMs()
      live.push({ id: message.id, sent, acked, committed: await committed })
      clearTimeout(timer)
      await sleep(20)
    }
    const report = await fleet.report()
    const byId = new Map(report.received)
    const fanout: number[] = []
    let delivered = 0
    for (const m of live) {
      const r = byId.get(m.id)
      if (r) {
        delivered += Math.min(r[0], connected)
        fanout.push(r[1] - m.sent)
      }
    }
    record(
      'live.p95_ms',
      percentile(
        live.map((m) => m.committed - m.sent),
        95,
      ),
      'ms',
      '<= 50 (POST sent -> in cache)',
    )
    record(
      'live.after_201_p95_ms',
      percentile(
        live.map((m) => Math.max(0, m.committed - m.acked)),
        95,
      ),
      'ms',
      'info: 201 received -> in cache',
    )
    record(
      'live.fanout_p95_ms',
      percentile(fanout, 95),
      'ms',
      `info: POST sent -> last of ${connected} sockets`,
    )
    record('live.delivered_pct', (100 * delivered) / (live.length * connected), '%', '>= 100')

    // ---- sustained writes with N sockets; the engine is offline and misses them ----
    step(
      `server: ${scale.serverMessages.toLocaleString('en')} messages by ${scale.posters} concurrent customers, ${scale.engines} sockets`,
    )
    // The engine goes through a relay from here on, and the relay drops it: it misses them all.
    const port = Number(new URL(server.url).port)
    relay = await new Relay({ host: '127.0.0.1', port }).start()
    engine.store.setMeta('serverUrl', relay.url)
    await whenState(engine, 'online', () => engine!.sync.resume())
    await whenState(engine, 'offline', () => relay!.cut())
    const { connected: sockets } = await fleet.connect(
      server.url,
      data.deskTokens.slice(scale.engines - 1, scale.engines),
    )
    await fleet.report()
    const before = db.prepare('SELECT count(*) FROM messages').pluck().get() as number
    const acks: number[] = []
    const ids: string[] = []
    let next = 0
    const writeCpu = cpuMs(server.process.pid)
    const fleetCpu = cpuMs(fleet.pid)
    const writeStart = performance.now()
    await Promise.all(
      Array.from({ length: scale.posters }, async () => {
        for (let i = next++; i < scale.serverMessages; i = next++) {
          const target = data.postable[i % data.postable.length]!
          const start = performance.now()
          const m = await post(server.url, target.token, target.threadId, uuidv7(), text.body())
          acks.push(performance.now() - start)
          ids.push(m.id)
        }
      }),
    )
    const writeSeconds = (performance.now() - writeStart) / 1000
    const writeCpuMs = cpuMs(server.process.pid) - writeCpu
    const fleetCpuMs = cpuMs(fleet.pid) - fleetCpu
    await sleep(500)
    const serverReport = await fleet.report()
    const got = new Map(serverReport.received)
    const fanned = ids.reduce((n, id) => n + Math.min(got.get(id)?.[0] ?? 0, sockets), 0)
    record('server.msgs_per_s', scale.serverMessages / writeSeconds, 'msgs/s', 'info: sustained')
    record('server.ack_p99_ms', percentile(acks, 99), 'ms', 'info: POST -> 201')
    // CPU time, which contention on a shared machine does not inflate as it does wall time.
    record(
      'server.cpu_ms_per_msg',
      writeCpuMs / scale.serverMessages,
      'ms',
      'info: server process CPU per message incl. fan-out',
    )
    notes.push(
      `server: the ${sockets} receiving sockets used ${(fleetCpuMs / 1000 / writeSeconds).toFixed(2)} cores of this machine during the write test (they would be other machines in production)`,
    )
    record(
      'server.delivered_pct',
      (100 * fanned) / (ids.length * sockets),
      '%',
      `>= 100 (${sockets} sockets)`,
    )

    // ---- catch-up after reconnect ----
    step(`catch-up: ${scale.serverMessages.toLocaleString('en')} missed messages after reconnect`)
    // From the reconnect (the socket is back and the catch-up pull starts) to online, which the
    // engine reports once the pull has committed everything.
    let catchStart = 0
    const stopWatch = engine.events.on('connection', (c) => {
      if (c.state === 'connecting' && !catchStart) catchStart = performance.now()
    })
    await whenState(engine, 'online', () => relay!.restore(), 30_000)
    const catchMs = performance.now() - catchStart
    stopWatch()
    const after = db.prepare('SELECT count(*) FROM messages').pluck().get() as number
    if (after - before < scale.serverMessages)
      throw new Error(`catch-up brought ${after - before} of ${scale.serverMessages} messages`)
    record('catchup.ms', catchMs, 'ms', `<= 2000 (${scale.serverMessages} messages)`)
  } finally {
    fleet.close()
    await engine?.close()
    await relay?.stop()
    await server.stop()
  }
}
