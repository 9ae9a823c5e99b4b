/**
 * `npm run bench` — the performance figures of the engine and the portal server, each against its
 * goal and, where there is one, a baseline measured in the same run.
 *
 *   npm run bench                 full size: 100k-message sync, 1M-message search, 200 engines
 *   npm run bench -- --quick      CI size: 10k sync, 100k search corpus, 20 engines (a few minutes)
 *   npm run bench -- --out f.json also write the figures as JSON: { metric: { value, unit, goal } }
 *   npm run bench -- --only server,search   run some groups only (server, search, inbox, minisearch, rss, ui)
 *
 * The ui group (scripts/bench/ui.ts) drives the built renderer (out/renderer; built when missing)
 * in Debian's Chromium through the headless host, over an engine cache of 100k threads (20k with
 * --quick) against one of 1k threads: first rows after navigation, DOM size, opening a thread of
 * 1,000 messages.
 *
 * Everything runs on this machine: the real portal server as a child process on loopback, the
 * measured engine in this process, the other "engines" as light Socket.IO clients in a child
 * process, memory figures in child processes of their own. Temp files go to os.tmpdir() and are
 * removed at the end.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { uiBenchmarks } from './bench/ui'
import { serverBenchmarks } from './bench/server-group'
import { cacheBenchmarks } from './bench/cache-group'
import { args, groups, notes, quick, record, results, root, status, step } from './bench/run'

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'portal-bench-'))
  const load = os.loadavg()[0]!
  console.log(
    `Portal Inbox benchmark (${quick ? 'quick' : 'full'}) on ${os.cpus().length} cores, Node ${process.version}, load ${load.toFixed(2)}; temp ${tmp}`,
  )
  const started = performance.now()
  try {
    if (groups.has('server')) await serverBenchmarks(tmp)
    if (['search', 'inbox', 'minisearch', 'rss'].some((g) => groups.has(g)))
      await cacheBenchmarks(tmp)
    if (groups.has('ui')) await uiBenchmarks({ tmp, quick, root, record, step, notes })
  } finally {
    if (!args.keep) await fs.rm(tmp, { recursive: true, force: true })
  }
  record('machine.load_avg_1m', load, 'load', `info: at start, ${os.cpus().length} cores`)
  console.log(
    `\n${'metric'.padEnd(36)} ${'value'.padStart(10)} ${'unit'.padEnd(8)} ${'status'.padEnd(7)} goal`,
  )
  for (const [name, m] of Object.entries(results))
    console.log(
      `${name.padEnd(36)} ${String(m.value).padStart(10)} ${m.unit.padEnd(8)} ${status(m).padEnd(7)} ${m.goal}`,
    )
  for (const note of notes) console.log(`\nNote: ${note}`)
  console.log(
    `\nDone in ${((performance.now() - started) / 1000).toFixed(0)} s; load now ${os.loadavg()[0]!.toFixed(2)}.`,
  )
  if (args.out) {
    await fs.writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`)
    console.log(`Wrote ${args.out}`)
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
