import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { net, protocol } from 'electron'

/** Must run before the app is ready: app:// behaves like https (secure, standard, fetch allowed). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves the built renderer at app://inbox/…, never a file outside its folder. */
export function serveRenderer(rendererDir: string): void {
  const root = path.resolve(rendererDir)
  protocol.handle('app', (request) => {
    const { pathname } = new URL(request.url)
    const file = path.resolve(root, `.${decodeURIComponent(pathname)}`)
    if (file !== root && !file.startsWith(root + path.sep))
      return new Response('Not found', { status: 404 })
    return net.fetch(
      pathToFileURL(path.extname(file) ? file : path.join(root, 'index.html')).toString(),
    )
  })
}
