import net from 'node:net'

export type ProxyMode = 'pass' | 'refuse' | 'blackhole'

/**
 * A TCP proxy between engines and the portal server, for fault tests on loopback. It can refuse
 * connections (like a dead network), blackhole them (accept and never answer), reset every open
 * connection, and delay each chunk.
 */
export class FaultProxy {
  private server: net.Server | null = null
  private readonly sockets = new Set<net.Socket>()
  mode: ProxyMode = 'pass'
  delayMs = 0
  port = 0

  constructor(private target: { host: string; port: number }) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  retarget(port: number): void {
    this.target = { ...this.target, port }
  }

  async start(port = 0): Promise<this> {
    this.server = net.createServer((client) => this.onClient(client))
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()))
    const address = this.server.address()
    this.port = typeof address === 'object' && address ? address.port : 0
    return this
  }

  private onClient(client: net.Socket): void {
    this.sockets.add(client)
    client.on('close', () => this.sockets.delete(client))
    client.on('error', () => undefined)
    if (this.mode === 'refuse') {
      client.destroy()
      return
    }
    if (this.mode === 'blackhole') return
    const upstream = net.connect(this.target.port, this.target.host)
    this.sockets.add(upstream)
    upstream.on('close', () => {
      this.sockets.delete(upstream)
      client.destroy()
    })
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        if (this.mode === 'blackhole') return
        if (this.delayMs > 0) setTimeout(() => to.write(chunk), this.delayMs)
        else to.write(chunk)
      })
    forward(client, upstream)
    forward(upstream, client)
  }

  /** Ends every open connection abruptly (TCP RST), as a dropped network does. */
  resetAll(): void {
    for (const s of this.sockets) s.resetAndDestroy()
    this.sockets.clear()
  }

  set(mode: ProxyMode): void {
    this.mode = mode
    if (mode === 'refuse') this.resetAll()
  }

  async stop(): Promise<void> {
    this.resetAll()
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    )
  }
}
