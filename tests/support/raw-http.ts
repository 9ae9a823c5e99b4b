import http from 'node:http'

export interface RawRequest {
  method: string
  /** Sent exactly as given (ASCII, percent-encoded by the caller): no `..` folding, as fetch would do. */
  path: string
  headers?: Record<string, string>
  body?: Buffer | string
}

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })

/**
 * One HTTP request over node:http, for fuzzing: the path reaches the server byte for byte (a
 * `..` segment, a broken percent-encoding), and any status comes back as data, never thrown.
 */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const base = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.path,
        headers: {
          ...request.headers,
          ...(request.body !== undefined && {
            'content-length': String(Buffer.byteLength(request.body)),
          }),
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(request.body)
  })
}

/** Closes the kept-alive sockets, so a test file's process can end. */
export function closeRawConnections(): void {
  agent.destroy()
}
