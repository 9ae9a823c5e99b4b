// Runs Electronegativity over the Electron glue (offline: the check that downloads Electron's
// release list is skipped) and fails on any HIGH or MEDIUM finding without a written
// justification beside the line: a comment `electronegativity-justified: <why>` on that line or
// up to three lines above it.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const input = path.join(root, 'src/main')
const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'electronegativity-')), 'report.csv')
const electronVersion = JSON.parse(
  fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'),
).version as string

execFileSync(
  process.execPath,
  [
    path.join(root, 'node_modules/@doyensec/electronegativity/dist/index.js'),
    '-i',
    input,
    '-r',
    '-v',
    'false',
    '-e',
    electronVersion,
    '-x',
    'AvailableSecurityFixesGlobalCheck',
    '-o',
    report,
  ],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
  },
)

const rows = fs
  .readFileSync(report, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.match(/("[^"]*"|[^,]+)/g)?.map((cell) => cell.replace(/^"|"$/g, '')) ?? [])
const findings = rows.map(
  ([check = '', severity = '', confidence = '', file = '', location = '']) => ({
    check,
    severity,
    confidence,
    file,
    line: Number(location.split(':')[0]),
  }),
)

let unjustified = 0
for (const f of findings) {
  if (f.severity !== 'HIGH' && f.severity !== 'MEDIUM') continue
  const lines = fs.readFileSync(path.join(input, f.file), 'utf8').split('\n')
  const nearby = lines.slice(Math.max(0, f.line - 4), f.line).join('\n')
  const justification = nearby.match(/electronegativity-justified:\s*(.+)/)?.[1]?.trim()
  const where = `src/main/${f.file}:${f.line}`
  if (justification)
    console.log(`ok    ${f.severity.padEnd(6)} ${f.check} at ${where}: ${justification}`)
  else {
    unjustified++
    console.log(
      `FAIL  ${f.severity.padEnd(6)} ${f.check} at ${where}: fix it, or write why it is safe in an "electronegativity-justified:" comment beside the line`,
    )
  }
}
const counted = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM').length
console.log(
  `Electronegativity: ${counted} high or medium finding(s), ${unjustified} without a justification; ${findings.length - counted} low or informational.`,
)
process.exit(unjustified ? 1 : 0)
