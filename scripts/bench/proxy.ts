import net from 'node:net'

/**
 * A TCP relay between the measured engine and the server, so the benchmark can take the engine
 * offline the way a network does: cut() resets every connection and refuses new ones until
 * restore(). The engine notices on its own and reconnects with its usual backoff.
 */
export class Relay {
  private server: net.Server | null = null
  private readonly open = new Set<net.Socket>()
  private down = false
  url = ''

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => {
      if (this.down) {
        client.destroy()
        return
      }
      const upstream = net.connect(this.target)
      for (const s of [client, upstream]) {
        this.open.add(s)
        s.on('close', () => this.open.delete(s))
        s.on('error', () => undefined)
      }
      client.pipe(upstream).pipe(client)
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()))
    const address = this.server.address()
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    return this
  }

  cut(): void {
    this.down = true
    for (const s of this.open) s.resetAndDestroy()
  }

  restore(): void {
    this.down = false
  }

  async stop(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve())
  }
}
