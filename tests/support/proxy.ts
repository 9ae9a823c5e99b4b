import net from 'node:net'

export type ProxyMode = 'pass' | 'refuse' | 'blackhole'

/** What the proxy did to connections, for a fault suite's report. */
export interface ProxyStats {
  /** Connections accepted and forwarded (at once, or after a blackhole lifted). */
  forwarded: number
  /** Connections reset on arrival because the proxy refused. */
  refused: number
  /** Connections accepted during a blackhole and held without an answer. */
  held: number
  /** Open sockets reset by resetAll() (including those reset by switching to refuse). */
  reset: number
}

/**
 * One direction of a proxied connection. Chunks leave in the order they came, each no earlier
 * than `delayMs` after it arrived, so changing the delay never reorders a TCP stream. During a
 * blackhole nothing is delivered and the source is not read (its sender's kernel buffers fill, as
 * with packets lost and retransmitted); when the blackhole lifts the stream goes on intact.
 */
class Pipe {
  private readonly queue: { chunk: Buffer; due: number }[] = []
  private timer: NodeJS.Timeout | null = null
  private ended = false

  constructor(
    readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly proxy: FaultProxy,
  ) {
    from.on('data', (chunk: Buffer) => {
      this.queue.push({ chunk, due: Date.now() + proxy.delayMs })
      this.pump()
    })
    from.on('end', () => {
      this.ended = true
      this.pump()
    })
  }

  pump(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.proxy.mode === 'blackhole' || this.to.destroyed) return
    const now = Date.now()
    while (this.queue.length && this.queue[0]!.due <= now) this.to.write(this.queue.shift()!.chunk)
    const head = this.queue[0]
    if (head) this.timer = setTimeout(() => this.pump(), head.due - now)
    else if (this.ended) this.to.end()
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.queue.length = 0
  }
}

interface Link {
  client: net.Socket
  upstream: net.Socket | null
  pipes: Pipe[]
}

/**
 * A TCP proxy between engines and the portal server, for fault tests on loopback. It can refuse
 * connections (like a dead network), blackhole them (accept and stay silent until the blackhole
 * lifts, then carry on), reset every open connection, and delay each chunk.
 */
export class FaultProxy {
  private server: net.Server | null = null
  private readonly links = new Set<Link>()
  mode: ProxyMode = 'pass'
  delayMs = 0
  port = 0
  readonly stats: ProxyStats = { forwarded: 0, refused: 0, held: 0, reset: 0 }

  constructor(private target: { host: string; port: number }) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  retarget(port: number): void {
    this.target = { ...this.target, port }
  }

  async start(port = 0): Promise<this> {
    this.server = net.createServer({ allowHalfOpen: true }, (client) => this.onClient(client))
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()))
    const address = this.server.address()
    this.port = typeof address === 'object' && address ? address.port : 0
    return this
  }

  private onClient(client: net.Socket): void {
    client.on('error', () => undefined)
    if (this.mode === 'refuse') {
      this.stats.refused++
      client.resetAndDestroy()
      return
    }
    const link: Link = { client, upstream: null, pipes: [] }
    this.links.add(link)
    client.on('close', (hadError) => this.closed(link, client, hadError))
    client.pause()
    if (this.mode === 'blackhole') {
      // Held: connected upstream only when the blackhole lifts, like a SYN retransmitted later.
      this.stats.held++
      return
    }
    this.connect(link)
  }

  private connect(link: Link): void {
    this.stats.forwarded++
    const upstream = net.connect({
      host: this.target.host,
      port: this.target.port,
      allowHalfOpen: true,
    })
    link.upstream = upstream
    upstream.on('error', () => undefined)
    upstream.on('close', (hadError) => this.closed(link, upstream, hadError))
    link.pipes = [new Pipe(link.client, upstream, this), new Pipe(upstream, link.client, this)]
    link.client.resume()
  }

  /** A socket closed: after an error (or a reset) its peer is reset too; a clean close was already passed on by its pipe. */
  private closed(link: Link, socket: net.Socket, hadError: boolean): void {
    const peer = socket === link.client ? link.upstream : link.client
    if (hadError || !peer) peer?.resetAndDestroy()
    if (link.client.destroyed && (!link.upstream || link.upstream.destroyed)) {
      for (const pipe of link.pipes) pipe.stop()
      this.links.delete(link)
    } else if (hadError) {
      for (const pipe of link.pipes) pipe.stop()
    }
  }

  /** Ends every open connection abruptly (TCP RST), as a dropped network does. */
  resetAll(): void {
    for (const link of this.links) {
      for (const pipe of link.pipes) pipe.stop()
      for (const s of [link.client, link.upstream]) {
        if (s && !s.destroyed) {
          this.stats.reset++
          s.resetAndDestroy()
        }
      }
    }
    this.links.clear()
  }

  set(mode: ProxyMode): void {
    const was = this.mode
    this.mode = mode
    if (mode === 'refuse') {
      this.resetAll()
      return
    }
    if (mode === 'blackhole') {
      for (const link of this.links) for (const pipe of link.pipes) pipe.from.pause()
      return
    }
    if (was === 'blackhole') {
      for (const link of this.links) {
        if (!link.upstream) {
          if (!link.client.destroyed) this.connect(link)
          continue
        }
        for (const pipe of link.pipes) {
          pipe.from.resume()
          pipe.pump()
        }
      }
    }
  }

  /** How many connections are open (or held) right now. */
  get openConnections(): number {
    return this.links.size
  }

  async stop(): Promise<void> {
    this.resetAll()
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    )
  }
}
