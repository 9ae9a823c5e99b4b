// Builds better-sqlite3 for Electron's ABI into build/native-electron/, apart from the copy in
// node_modules that Node (and the tests) use. The engine loads it through better-sqlite3's
// `nativeBinding` option. Needs the network once (Electron's headers or a prebuilt binary);
// never run from postinstall.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { electronVersion } from './electron-binary'

const root = path.resolve(import.meta.dirname, '..')
const outDir = path.join(root, 'build/native-electron')
const target = path.join(outDir, 'better_sqlite3.node')

export function rebuildNative(force = false): boolean {
  const version = electronVersion()
  const stamp = path.join(outDir, 'electron-version.txt')
  if (!force && fs.existsSync(target) && fs.readFileSync(stamp, 'utf8').trim() === version)
    return true

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-native-'))
  fs.cpSync(path.join(root, 'node_modules/better-sqlite3'), work, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}build${path.sep}`),
  })
  const attempts: [string, string[]][] = [
    [
      path.join(root, 'node_modules/prebuild-install/bin.js'),
      [
        '--runtime=electron',
        `--target=${version}`,
        `--arch=${process.arch}`,
        `--platform=${process.platform}`,
      ],
    ],
    [
      path.join(root, 'node_modules/node-gyp/bin/node-gyp.js'),
      [
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${version}`,
        '--dist-url=https://electronjs.org/headers',
      ],
    ],
  ]
  for (const [script, args] of attempts) {
    try {
      execFileSync(process.execPath, [script, ...args], {
        cwd: work,
        stdio: 'inherit',
        timeout: 600_000,
      })
      const built = path.join(work, 'build/Release/better_sqlite3.node')
      if (!fs.existsSync(built)) continue
      fs.mkdirSync(outDir, { recursive: true })
      fs.copyFileSync(built, target)
      fs.writeFileSync(stamp, version)
      fs.rmSync(work, { recursive: true, force: true })
      console.log(`better-sqlite3 built for Electron ${version}: ${path.relative(root, target)}`)
      return true
    } catch {
      // Try the next way.
    }
  }
  fs.rmSync(work, { recursive: true, force: true })
  console.error(
    [
      `Could not build better-sqlite3 for Electron ${version}.`,
      "It needs either a prebuilt binary (GitHub releases) or Electron's headers (electronjs.org) once.",
      'Check the network and run `npm run rebuild:electron` again, or use `npm run start:web` meanwhile.',
    ].join('\n'),
  )
  return false
}

if (import.meta.url === `file://${process.argv[1]}`)
  process.exit(rebuildNative(process.argv.includes('--force')) ? 0 : 1)
