import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')

/**
 * The Electron binary if it is on this machine, without triggering its download: `electron` 45+
 * fetches the binary on first use, which fails where the network is closed.
 */
export function electronBinary(): string | null {
  const dir = path.join(root, 'node_modules/electron')
  try {
    const relative = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim()
    const binary = path.join(dir, 'dist', relative)
    return fs.existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

export const electronVersion = (): string =>
  JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'))
    .version as string

/** Why the desktop app cannot open on this machine, said once by `npm start` before it opens the browser inbox. */
export const NO_ELECTRON_REASON =
  'The Electron binary is not on this machine and could not be downloaded (Electron fetches it on first use; on a machine with network access `npm start` opens the desktop app).'
