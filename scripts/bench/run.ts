/** One bench run's options and what it records: shared by the groups (server, cache, ui). */
import { spawn } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { queryWords, type QueryClass } from './corpus'

export interface Metric {
  value: number
  unit: string
  goal: string
}

export const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
})
export const quick = args.quick ?? false
export const groups = new Set(
  (args.only ?? 'server,search,inbox,minisearch,rss,ui').split(',').map((s) => s.trim()),
)
export const scale = quick
  ? {
      syncMessages: 10_000,
      searchMessages: 100_000,
      engines: 20,
      liveMessages: 100,
      serverMessages: 2_000,
      posters: 8,
      searchRounds: 20,
      likeRounds: 2,
    }
  : {
      syncMessages: 100_000,
      searchMessages: 1_000_000,
      engines: 200,
      liveMessages: 200,
      serverMessages: 10_000,
      posters: 16,
      searchRounds: 40,
      likeRounds: 2,
    }
export const SUBSET = 100_000
/** The engine's change-feed page size (SyncOptions.pageSize default), for the raw baseline. */
export const RAW_PAGE = 5000
export const root = path.resolve(import.meta.dirname, '../..')
export const results: Record<string, Metric> = {}
export const notes: string[] = []

export function record(name: string, raw: number, unit: string, goal: string): void {
  // Three significant digits (whole numbers from 100 up), so a small ratio does not round to 0.
  const value = Math.abs(raw) >= 100 ? Math.round(raw) : Number(raw.toPrecision(3))
  results[name] = { value, unit, goal }
  console.log(
    `  ${name.padEnd(36)} ${String(results[name].value).padStart(10)} ${unit.padEnd(10)} ${goal}`,
  )
}

export function status(m: Metric): string {
  const g = /^(>=|<=)\s*([\d.]+)/.exec(m.goal)
  if (!g) return 'info'
  const limit = Number(g[2])
  return (g[1] === '>=' ? m.value >= limit : m.value <= limit) ? 'ok' : 'MISSED'
}

export function step(title: string): void {
  console.log(`\n== ${title} (load ${os.loadavg()[0]!.toFixed(2)})`)
}

/** Runs a child script with tsx and --expose-gc; resolves with its last stdout line as JSON. */
export function runChild<T>(script: string, childArgs: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.join(root, script), ...childArgs],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? ''
      if (code === 0 && line) resolve(JSON.parse(line) as T)
      else reject(new Error(`${script} ${childArgs[0]} exited with ${code}:\n${err}${out}`))
    })
  })
}

/** The measured search queries: every planted word, in a shuffled order each round. */
export function queryList(): { cls: QueryClass; q: string }[] {
  return (Object.entries(queryWords) as [QueryClass, readonly string[]][]).flatMap(([cls, ws]) =>
    ws.map((q) => ({ cls, q })),
  )
}
