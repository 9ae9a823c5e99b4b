/**
 * Child process of the benchmark, so memory is measured in a process of its own (run with
 * --expose-gc). Modes:
 *
 *   ours <cache.sqlite>     searchCache over the cache file: latencies and memory growth
 *   minisearch <cache.sqlite> MiniSearch over the same messages, indexed in memory
 *   engine <dataDir>        a whole Engine over a cache, searched and listed: its resident memory
 *
 * The query list arrives as JSON on argv[4] ({ cls, q }[]), the number of rounds on argv[5]. The
 * answer is one JSON line on stdout.
 */
import MiniSearch from 'minisearch'
import Database from 'better-sqlite3'
import { openCache } from '../../src/main/core/cache/database'
import { Engine } from '../../src/main/core/engine'
import { searchCache } from '../../src/main/core/cache/search'
import { MemoryTokenStore } from '../../src/main/core/token-store'

const [mode, target, queriesJson, roundsArg] = process.argv.slice(2)
const queries = JSON.parse(queriesJson ?? '[]') as { cls: string; q: string }[]
const rounds = Number(roundsArg ?? 20)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined)

function memory() {
  gc()
  gc()
  const m = process.memoryUsage()
  return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers }
}

/** Peak resident set of this process (VmHWM), in bytes; 0 where /proc is missing. */
async function peakRss(): Promise<number> {
  try {
    const { readFile } = await import('node:fs/promises')
    const status = await readFile('/proc/self/status', 'utf8')
    const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1]
    return kb ? Number(kb) * 1024 : 0
  } catch {
    return 0
  }
}

function timeQueries(run: (q: string) => unknown): Record<string, number[]> {
  const times: Record<string, number[]> = {}
  for (const { q } of queries) run(q) // warm up
  for (let r = 0; r < rounds; r++) {
    for (const { cls, q } of queries) {
      const start = performance.now()
      run(q)
      ;(times[cls] ??= []).push(performance.now() - start)
    }
  }
  return times
}

async function main(): Promise<void> {
  if (mode === 'ours') {
    const before = memory()
    const db = openCache(target!)
    const me = (db.prepare("SELECT value FROM meta WHERE key = 'userId'").pluck().get() ??
      '') as string
    const times = timeQueries((q) => searchCache(db, me, q, 50))
    const after = memory()
    console.log(JSON.stringify({ times, before, after, peak: await peakRss() }))
    db.close()
    return
  }
  if (mode === 'minisearch') {
    const before = memory()
    const index = new MiniSearch<{ pk: number; subject: string; body: string; sender: string }>({
      idField: 'pk',
      fields: ['subject', 'body', 'sender'],
      storeFields: [],
      searchOptions: { combineWith: 'AND', prefix: false, fuzzy: false },
    })
    // The same text the FTS table holds, read row by row so no copy of the corpus stays around.
    const db = new Database(target!, { readonly: true })
    for (const row of db
      .prepare('SELECT rowid AS pk, subject, body, sender FROM messages_fts')
      .iterate() as Iterable<{ pk: number; subject: string; body: string; sender: string }>)
      index.add(row)
    db.close()
    const after = memory()
    // Newest 50 matches, as the inbox shows them: MiniSearch ranks by score, so sort by pk.
    const times = timeQueries((q) =>
      index
        .search(q)
        .sort((a, b) => (b.id as number) - (a.id as number))
        .slice(0, 50),
    )
    console.log(JSON.stringify({ times, before, after, peak: await peakRss() }))
    return
  }
  if (mode === 'engine') {
    const engine = await Engine.open({ dataDir: target!, tokens: new MemoryTokenStore() })
    const times = timeQueries((q) => {
      searchCache(engine.store.db, engine.me, q, 50)
      engine.store.listThreads('all', undefined, 0, 50)
    })
    const m = process.memoryUsage()
    console.log(JSON.stringify({ times, rss: m.rss, heap: m.heapUsed, peak: await peakRss() }))
    await engine.close()
    return
  }
  throw new Error(`unknown mode ${mode}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
