// `npm start`: the portal server on demo data and the Electron app signed in to it. Where the
// Electron binary cannot be fetched, says so and names `npm run start:web`.
import { spawn, spawnSync } from 'node:child_process'
import path from 'node:path'
import { electronBinary, NO_ELECTRON_MESSAGE } from './electron-binary'
import { startDemoServer } from './demo-server'
import { rebuildNative } from './rebuild-native'

const root = path.resolve(import.meta.dirname, '..')
let binary = electronBinary()
if (!binary) {
  // Electron fetches its binary on first use; try once, quietly, before giving up.
  spawnSync(process.execPath, [path.join(root, 'node_modules/electron/install.js')], {
    cwd: root,
    stdio: 'ignore',
    timeout: 300_000,
  })
  binary = electronBinary()
}
if (!binary) {
  console.error(NO_ELECTRON_MESSAGE)
  process.exit(1)
}
if (!rebuildNative()) process.exit(1)

const { url: serverUrl, process: server } = await startDemoServer(
  Number(process.env.PORTAL_PORT ?? 4870),
)
const app = spawn(binary, [path.join(root, 'out/main/index.js')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PORTAL_INBOX_SIGNIN: `${serverUrl} staff@demo.test portal-demo` },
})
app.on('exit', (code) => {
  server.kill('SIGTERM')
  process.exit(code ?? 0)
})
