import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')

/**
 * Starts the portal server on demo data in ./data (as `npm run server -- --demo` does) and
 * resolves with its URL and the demo logins it printed. The server's own start-up lines are
 * folded into the caller's summary; what it logs afterwards (warnings, errors) is passed through.
 */
export async function startDemoServer(
  port: number,
  dataDir = path.join(root, 'data'),
): Promise<{ url: string; demoLogins: string[]; process: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'server/src/cli.ts'),
      '--demo',
      '--port',
      String(port),
      '--data',
      dataDir,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  return new Promise((resolve, reject) => {
    let out = ''
    let started = false
    const onData = (chunk: Buffer) => {
      if (started) return void process.stdout.write(chunk)
      out += chunk.toString()
      const url = out.match(/Portal server listening on (\S+)/)?.[1]
      // The block ends with a blank line after the demo logins.
      if (!url || !/\n\n\s*$/.test(out.slice(out.indexOf('Portal server listening')))) return
      started = true
      const logins = out.split(/Demo logins[^\n]*\n/)[1] ?? ''
      resolve({
        url,
        demoLogins: logins
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
        process: child,
      })
    }
    child.stdout.on('data', onData)
    child.once('exit', (code) => {
      if (started) return
      process.stdout.write(out)
      reject(
        new Error(
          `The portal server stopped (exit ${code}). Is port ${port} taken by another program? Choose another with PORTAL_PORT=4880 npm start.`,
        ),
      )
    })
  })
}
