/** The cache side of `npm run bench`: search, inbox pages, memory. */
import { InboxView } from '../../src/shared/ipc'
import fs from 'node:fs/promises'
import path from 'node:path'
import { openCache } from '../../src/main/core/cache/database'
import { CacheStore } from '../../src/main/core/cache/store'
import { searchCache } from '../../src/main/core/cache/search'
import { generateCache } from './cache-data'
import { queryWords, rng } from './corpus'
import { median, percentile } from './stats'
import { systemClock } from '../../src/shared/clock'
import { SUBSET, groups, notes, queryList, record, runChild, scale, step } from './run'

// ---------------------------------------------------------------------------------------------
// The cache side: search, inbox pages, memory.
// ---------------------------------------------------------------------------------------------

export async function cacheBenchmarks(tmp: string): Promise<void> {
  const big = path.join(tmp, 'cache-big')
  await fs.mkdir(big, { recursive: true })
  const file = path.join(big, 'cache.sqlite')
  step(`engine cache: ${scale.searchMessages.toLocaleString('en')} messages`)
  const info = generateCache(file, {
    messages: scale.searchMessages,
    threads: scale.searchMessages / 10,
  })
  console.log(
    `  generated ${info.messages} messages in ${info.threads} threads in ${info.seconds.toFixed(1)} s`,
  )
  const queries = queryList()

  if (groups.has('search') || groups.has('inbox')) {
    const db = openCache(file)
    const me = info.me
    if (groups.has('search')) {
      step('search: newest 50 with snippets (searchCache)')
      const random = rng(3)
      const times: Record<string, number[]> = {}
      for (const { q } of queries) searchCache(db, me, q, 50)
      for (let r = 0; r < scale.searchRounds; r++) {
        const order = [...queries].sort(() => random() - 0.5)
        for (const { cls, q } of order) {
          const start = performance.now()
          const hits = searchCache(db, me, q, 50)
          ;(times[cls] ??= []).push(performance.now() - start)
          if (hits.length === 0) throw new Error(`no hits for ${q}`)
        }
      }
      record('search.p95_ms.rare', percentile(times.rare!, 95), 'ms', '<= 15')
      record('search.p95_ms.mid', percentile(times.mid!, 95), 'ms', '<= 15')
      record('search.p95_ms.common', percentile(times.common!, 95), 'ms', '<= 60')
      const extra: Record<string, number[]> = {}
      for (let r = 0; r < 10; r++)
        for (const q of ['drywall inspection', 'grout soffit', 'pla*', 'grout from:ada']) {
          const start = performance.now()
          searchCache(db, me, q, 50)
          ;(extra[q] ??= []).push(performance.now() - start)
        }
      record(
        'search.p95_ms.two_words',
        percentile([...extra['drywall inspection']!, ...extra['grout soffit']!], 95),
        'ms',
        'info',
      )
      record('search.p95_ms.prefix', percentile(extra['pla*']!, 95), 'ms', 'info: pla*')

      // LIKE: the scan FTS replaces. For a rare word it reads every message; for frequent words
      // it stops early (newest first), so the comparison uses the rare words.
      const likeStmt = db.prepare(
        "SELECT m.pk FROM messages m WHERE m.body LIKE ? ESCAPE '\\' ORDER BY m.pk DESC LIMIT 50",
      )
      const like: number[] = []
      for (let r = 0; r < scale.likeRounds; r++)
        for (const q of queryWords.rare) {
          const start = performance.now()
          likeStmt.all(`%${q}%`)
          like.push(performance.now() - start)
        }
      record('search.like_ms.rare', median(like), 'ms', 'info: baseline, LIKE scan')
      record('search.ratio_to_like', median(like) / median(times.rare!), 'x', '>= 100 (rare words)')
    }
    if (groups.has('inbox')) {
      step('inbox: pages of 50 threads with unread counts (CacheStore.listThreads)')
      const store = new CacheStore(db, systemClock)
      const all: number[] = []
      for (let r = 0; r < 100; r++) {
        // Mostly the first page, as the inbox opens and refreshes; every fifth a scrolled page.
        const offset = r % 5 === 4 ? 50 * (1 + (r % 20)) : 0
        const start = performance.now()
        const page = store.listThreads('all', undefined, offset, 50)
        all.push(performance.now() - start)
        if (page.threads.length !== 50) throw new Error('short inbox page')
      }
      record('inbox.page_p95_ms', percentile(all, 95), 'ms', `<= 5 (${info.threads} threads)`)
      const views: number[] = []
      for (let r = 0; r < 20; r++)
        for (const view of InboxView.options.filter((v) => v !== 'all')) {
          const start = performance.now()
          store.listThreads(view, undefined, 0, 50)
          views.push(performance.now() - start)
        }
      record(
        'inbox.other_views_p95_ms',
        percentile(views, 95),
        'ms',
        'info: first pages of the other views',
      )
      const counts: number[] = []
      for (let r = 0; r < 10; r++) {
        const start = performance.now()
        store.viewCounts()
        counts.push(performance.now() - start)
      }
      record('inbox.view_counts_ms', median(counts), 'ms', 'info: all view and project counts')
    }
    db.close()
  }

  if (groups.has('rss')) {
    step('engine process memory with the cache open and searched')
    const r = await runChild<{ rss: number; peak: number }>('scripts/bench/search-child.ts', [
      'engine',
      big,
      JSON.stringify(queries),
      '5',
    ])
    record('engine.rss_mb', r.rss / 1048576, 'MB', '<= 300')
    notes.push(
      'engine.rss_mb: an Engine over the big cache in a child process run with tsx, whose loader adds ~40 MB that the packaged app does not have',
    )
    record('engine.rss_peak_mb', r.peak / 1048576, 'MB', 'info: VmHWM')
  }

  if (groups.has('minisearch')) {
    let subset = file
    if (scale.searchMessages !== SUBSET) {
      step(`engine cache subset: ${SUBSET.toLocaleString('en')} messages`)
      subset = path.join(tmp, 'subset.sqlite')
      const s = generateCache(subset, { messages: SUBSET, threads: SUBSET / 10 })
      console.log(`  generated in ${s.seconds.toFixed(1)} s`)
    }
    step(`search against MiniSearch on ${SUBSET.toLocaleString('en')} messages (child processes)`)
    type Child = {
      times: Record<string, number[]>
      before: { rss: number; heap: number }
      after: { rss: number; heap: number }
    }
    const rounds = String(Math.max(10, scale.searchRounds / 2))
    const ours = await runChild<Child>('scripts/bench/search-child.ts', [
      'ours',
      subset,
      JSON.stringify(queries),
      rounds,
    ])
    const mini = await runChild<Child>('scripts/bench/search-child.ts', [
      'minisearch',
      subset,
      JSON.stringify(queries),
      rounds,
    ])
    const flat = (c: Child) => Object.values(c.times).flat()
    const p95 = (c: Child) => percentile(flat(c), 95)
    record('search.minisearch_p95_ms', p95(mini), 'ms', 'info: baseline, search + newest 50')
    record('search.subset_p95_ms', p95(ours), 'ms', 'info: searchCache, same queries')
    record('search.ratio_to_minisearch', p95(ours) / p95(mini), 'x', '<= 3 (latency, p95)')
    const grow = (c: Child, k: 'rss' | 'heap') => Math.max(0, c.after[k] - c.before[k])
    record('search.minisearch_heap_mb', grow(mini, 'heap') / 1048576, 'MB', 'info: index heap')
    record('search.subset_heap_mb', grow(ours, 'heap') / 1048576, 'MB', 'info: searchCache heap')
    record(
      'search.heap_ratio_to_minisearch',
      grow(ours, 'heap') / grow(mini, 'heap'),
      'x',
      '<= 0.1',
    )
    record(
      'search.rss_ratio_to_minisearch',
      grow(ours, 'rss') / grow(mini, 'rss'),
      'x',
      'info: incl. SQLite page cache',
    )
  }
}
