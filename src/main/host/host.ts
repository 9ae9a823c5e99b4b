import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { ipcEventNames, type EngineApi, type IpcMethod } from '../../shared/ipc'
import { z } from 'zod'
import { decodeValue, encodeValue, type HostMessage, type HostRequest } from '../../shared/ipc-wire'
import type { Engine } from '../core/engine'
import { createHandlers, errorBody } from '../core/handlers'

export interface HostOptions {
  engine: Engine
  /** The built renderer (out/renderer). */
  rendererDir: string
  port?: number
  /** Fixed for tests; random per run otherwise. */
  token?: string
}

export interface RunningHost {
  url: string
  /** The address to open: the token travels in the fragment, so it never reaches a request log. */
  openUrl: string
  token: string
  close(): Promise<void>
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
}

/** The same policy the Electron window sets: nothing from anywhere else, the IPC socket on our own origin. */
export function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http/, 'ws')
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ${ws}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`
}

/**
 * The headless host: the real engine in plain Node, the built renderer over HTTP on 127.0.0.1,
 * and the IPC contract over a WebSocket guarded by a random per-run token and an Origin check.
 * The renderer cannot tell it from Electron, so browser tests exercise the real engine.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const api: EngineApi = createHandlers(options.engine)
  const root = path.resolve(options.rendererDir)
  let origin = ''

  const server = http.createServer((req, res) => {
    void serveFile(root, origin, req, res)
  })
  const wss = new WebSocketServer({
    server,
    path: '/ipc',
    maxPayload: 64 * 1024 * 1024,
    verifyClient: ({ origin: requestOrigin, req }, done) => {
      const given = new URL(req.url ?? '', origin).searchParams.get('token') ?? ''
      // A page from another origin (any website open in the same browser) must not reach the engine.
      if (requestOrigin !== origin) return done(false, 403, 'Forbidden origin')
      if (!sameSecret(given, token)) return done(false, 401, 'Missing or wrong token')
      done(true)
    },
  })

  const unsubscribers = ipcEventNames.map((event) =>
    options.engine.events.on(event, (payload) => {
      const message = JSON.stringify({ event, payload: encodeValue(payload) } satisfies HostMessage)
      for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(message)
    }),
  )

  wss.on('connection', (socket: WebSocket) => {
    socket.on('message', (data) => void handle(api, socket, data.toString()))
  })

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve()),
  )
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  origin = `http://127.0.0.1:${port}`

  return {
    url: origin,
    openUrl: `${origin}/#token=${token}`,
    token,
    async close() {
      for (const off of unsubscribers) off()
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const HostRequestSchema = z.object({
  id: z.number().int(),
  method: z.string().max(64),
  input: z.unknown(),
})

async function handle(api: EngineApi, socket: WebSocket, text: string): Promise<void> {
  let request: HostRequest
  try {
    request = HostRequestSchema.parse(JSON.parse(text))
  } catch {
    return
  }
  const reply = (message: HostMessage) =>
    socket.readyState === socket.OPEN && socket.send(JSON.stringify(message))
  if (!Object.hasOwn(api, request.method)) {
    reply({
      id: request.id,
      error: { code: 'INVALID_INPUT', message: `There is no method ${request.method}.` },
    })
    return
  }
  try {
    const result = await api[request.method as IpcMethod](decodeValue(request.input) as never)
    reply({ id: request.id, result: encodeValue(result) })
  } catch (err) {
    reply({ id: request.id, error: errorBody(err) })
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

async function serveFile(
  root: string,
  origin: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy(origin),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end()
    return
  }
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
  let file = path.resolve(root, `.${pathname}`)
  // Never outside the renderer folder, whatever the path says.
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(404, headers).end()
    return
  }
  try {
    if ((await fs.stat(file)).isDirectory()) file = path.join(file, 'index.html')
    await fs.access(file)
  } catch {
    // The inbox is a single page: unknown paths get it, assets do not.
    if (path.extname(pathname)) {
      res.writeHead(404, headers).end()
      return
    }
    file = path.join(root, 'index.html')
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
  })
  if (req.method === 'HEAD') res.end()
  else createReadStream(file).pipe(res)
}
