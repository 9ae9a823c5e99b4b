// `npm start`: the portal server on demo data and the Electron app signed in to it. Where the
// Electron binary cannot be fetched, says so and names `npm run start:web`.
import { spawn, spawnSync } from 'node:child_process'
import path from 'node:path'
import { electronBinary, NO_ELECTRON_MESSAGE } from './electron-binary'
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

const server = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    path.join(root, 'server/src/cli.ts'),
    '--demo',
    '--data',
    path.join(root, 'data/server'),
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
)
const serverUrl = await new Promise<string>((resolve, reject) => {
  let out = ''
  server.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk)
    out += chunk.toString()
    const match = out.match(/Portal server listening on (\S+)/)
    if (match?.[1]) resolve(match[1])
  })
  server.once('exit', (code) => reject(new Error(`The portal server stopped (exit ${code}).`)))
})
const app = spawn(binary, [path.join(root, 'out/main/index.js')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PORTAL_INBOX_SIGNIN: `${serverUrl} staff@demo.test portal-demo` },
})
app.on('exit', (code) => {
  server.kill('SIGTERM')
  process.exit(code ?? 0)
})
