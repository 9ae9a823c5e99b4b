import http from 'node:http'
import net from 'node:net'
import type { ApiResponse } from './api'

/**
 * Requests from another address of this machine. On Linux (and Windows) all of 127.0.0.0/8 is
 * loopback, so a client can connect from 127.0.3.9 and the server, which trusts no proxy
 * headers, sees a different address: real "other places" without X-Forwarded-For.
 */
export function postFrom(
  localAddress: string,
  url: string,
  path: string,
  body: unknown,
): Promise<ApiResponse> {
  const target = new URL(`${url}/api/v1${path}`)
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        localAddress,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => {
          const headers = new Headers()
          for (const [name, value] of Object.entries(res.headers))
            if (typeof value === 'string') headers.set(name, value)
          let parsed: unknown = text
          try {
            parsed = text ? JSON.parse(text) : null
          } catch {
            /* not JSON: keep the text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, headers })
        })
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** Whether this machine lets a client use loopback addresses besides 127.0.0.1 (macOS does not by default). */
export async function otherLoopbackAddresses(): Promise<boolean> {
  const server = net.createServer((socket) => socket.end())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  const ok = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.9.9' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return ok
}
