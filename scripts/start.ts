// `npm start`: the whole product on demo data, for someone who just cloned it. Builds what is
// missing or older than its sources, starts the portal server on ./data (seeding the demo company
// the first time), opens the staff inbox (the Electron app; where Electron cannot run here, the
// same inbox in the browser, with the reason said once) and prints where everything is, with the
// demo logins. `npm start -- --web` (or `npm run start:web`) asks for the browser inbox directly.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Engine } from '../src/main/core/engine'
import { clockFromSpec } from '../src/shared/clock'
import { MemoryTokenStore } from '../src/main/core/token-store'
import { startHost } from '../src/main/host/host'
import { startDemoServer } from './demo-server'
import { electronBinary, NO_ELECTRON_REASON } from './electron-binary'
import { rebuildNative } from './rebuild-native'

const root = path.resolve(import.meta.dirname, '..')
const serverPort = Number(process.env.PORTAL_PORT ?? 4870)
const hostPort = Number(process.env.PORTAL_HOST_PORT ?? 4871)
const dataDir = path.resolve(process.env.PORTAL_DATA_DIR ?? path.join(root, 'data'))
const staffLogin = { email: 'staff@demo.test', password: 'portal-demo' }

ensureBuilt()
const server = await startDemoServer(serverPort, dataDir)
const stopServer = () => server.process.kill('SIGTERM')

const electron = process.argv.includes('--web') ? { binary: null, reason: null } : electronApp()
let inboxLine: string
if (electron.binary) {
  const app = spawn(electron.binary, [path.join(root, 'out/main/index.js')], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      PORTAL_INBOX_SIGNIN: `${server.url} ${staffLogin.email} ${staffLogin.password}`,
    },
  })
  app.on('exit', (code) => {
    stopServer()
    process.exit(code ?? 0)
  })
  inboxLine = `the desktop app (Electron) is opening, signed in as ${staffLogin.email}`
} else {
  if (electron.reason)
    console.log(`\n${electron.reason}\nOpening the same inbox in your browser instead.`)
  const engine = await Engine.open({
    dataDir: path.join(dataDir, 'desktop-web'),
    // PORTAL_CLOCK moves the server's clock for a trial at another hour; the inbox keeps with it.
    clock: clockFromSpec(process.env.PORTAL_CLOCK),
    // The browser inbox keeps its token in memory: it is never written to disk.
    tokens: new MemoryTokenStore(),
  })
  if (engine.sync.connection().state === 'signed-out')
    await engine.sync.signIn(server.url, staffLogin.email, staffLogin.password)
  const host = await startHost({
    engine,
    rendererDir: path.join(root, 'out/renderer'),
    port: hostPort,
  })
  openInBrowser(host.openUrl)
  inboxLine = `${host.openUrl}  (in your browser, signed in as ${staffLogin.email})`
  const stop = async () => {
    await host.close()
    await engine.close()
    stopServer()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

console.log(
  [
    '',
    'Portal Inbox is running on demo data (Harbor & Pine Builders).',
    `  Staff inbox:      ${inboxLine}`,
    `  Customer portal:  ${server.url}/portal/  (sign in as customer@demo.test)`,
    `  Portal server:    ${server.url}  (data in ${path.relative(process.cwd(), dataDir) || '.'}; mail is written to its mail/ folder)`,
    '',
    'Demo logins, all with the password "portal-demo":',
    ...server.demoLogins.map((line) => `  ${line}`),
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'),
)

/** The Electron binary and its native module, or the reason the desktop app cannot open here. */
function electronApp(): { binary: string | null; reason: string | null } {
  let binary = electronBinary()
  if (!binary) {
    console.log('Fetching the Electron app (first run only)…')
    spawnSync(process.execPath, [path.join(root, 'node_modules/electron/install.js')], {
      cwd: root,
      stdio: 'ignore',
      timeout: 180_000,
    })
    binary = electronBinary()
  }
  if (!binary) return { binary: null, reason: NO_ELECTRON_REASON }
  if (!rebuildNative())
    return {
      binary: null,
      reason:
        'The database module could not be built for Electron here (it needs Electron’s headers from the network once; `npm run rebuild:electron` tries again).',
    }
  return { binary, reason: null }
}

/**
 * Builds the desktop app's bundles and the customer portal's page when one is missing or older
 * than the newest source file, so a fresh clone and an edited checkout both start what they hold.
 */
function ensureBuilt(): void {
  const outputs = [
    'out/main/index.js',
    'out/renderer/index.html',
    'server/web/dist/index.html',
  ].map((p) => path.join(root, p))
  const built = Math.min(...outputs.map((p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0)))
  const sources = ['src', 'server/web/src', 'server/web/index.html', 'electron.vite.config.ts']
  const newest = Math.max(...sources.map((p) => newestMtime(path.join(root, p))))
  if (built >= newest) return
  console.log(
    built
      ? 'Sources changed since the last build: building…'
      : 'First run: building the app and the portal page…',
  )
  const run = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (run.status !== 0) {
    console.error('The build failed (its errors are above). Fix them, then run `npm start` again.')
    process.exit(1)
  }
}

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0
  const stat = fs.statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = 0
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.'))
      continue
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)))
  }
  return newest
}

/** Opens the system browser where there is one; a machine without a desktop just gets the address. */
function openInBrowser(url: string): void {
  if (process.env.PORTAL_NO_BROWSER) return
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]]
  const child = spawn(command, args, { stdio: 'ignore', detached: true })
  child.on('error', () => undefined)
  child.unref()
}
