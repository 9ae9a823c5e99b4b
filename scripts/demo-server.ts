import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')

/** Starts the portal server on demo data in ./data/server (as `npm run server -- --demo` does) and resolves with its URL. */
export async function startDemoServer(
  port: number,
): Promise<{ url: string; process: ChildProcess }> {
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
      path.join(root, 'data/server'),
      '--log-level',
      'warn',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk)
      out += chunk.toString()
      const match = out.match(/Portal server listening on (\S+)/)
      if (match?.[1]) resolve(match[1])
    })
    child.once('exit', (code) =>
      reject(
        new Error(
          `The portal server stopped (exit ${code}). Is port ${port} taken? Set PORTAL_PORT.`,
        ),
      ),
    )
  })
  return { url, process: child }
}
