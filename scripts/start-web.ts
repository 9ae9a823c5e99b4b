// `npm run start:web`: the portal server on demo data and the headless host with the real engine,
// so the staff inbox runs in any browser (and where the Electron binary cannot be fetched).
import path from 'node:path'
import { Engine } from '../src/main/core/engine'
import { MemoryTokenStore } from '../src/main/core/token-store'
import { startHost } from '../src/main/host/host'
import { startDemoServer } from './demo-server'

const root = path.resolve(import.meta.dirname, '..')
const serverPort = Number(process.env.PORTAL_PORT ?? 4870)
const hostPort = Number(process.env.PORTAL_HOST_PORT ?? 4871)

const { url: serverUrl, process: server } = await startDemoServer(serverPort)

// The token lives in memory: the browser host never writes it to disk.
const engine = await Engine.open({
  dataDir: path.join(root, 'data/desktop-web'),
  tokens: new MemoryTokenStore(),
})
const demo = process.env.PORTAL_INBOX_SIGNIN ?? 'staff@demo.test:portal-demo'
if (demo !== 'off' && engine.sync.connection().state === 'signed-out') {
  const [email = '', password = ''] = demo.split(':')
  await engine.sync.signIn(serverUrl, email, password)
}
const host = await startHost({
  engine,
  rendererDir: path.join(root, 'out/renderer'),
  port: hostPort,
})
console.log(
  `\nStaff inbox (headless host): open ${host.openUrl}\n  signed in as ${engine.sync.connection().user?.email ?? 'nobody'} on ${serverUrl}\n  (set PORTAL_INBOX_SIGNIN=email:password or =off to choose)\n`,
)

const stop = async () => {
  await host.close()
  await engine.close()
  server.kill('SIGTERM')
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
