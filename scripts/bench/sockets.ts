/**
 * Child process of the benchmark: many light Socket.IO clients, each signed in with its own desk
 * user's session, standing in for the engines that are not measured. They run in their own
 * process, as real engines would, so their event handling does not delay the measured engine.
 *
 * Commands over IPC: { cmd: 'connect', url, tokens } answers { connected } once all are in;
 * { cmd: 'report' } answers per-message receipt counts and the last receipt times, then resets;
 * { cmd: 'close' } disconnects and exits.
 */
import { io, type Socket } from 'socket.io-client'

type Command =
  { cmd: 'connect'; url: string; tokens: string[] } | { cmd: 'report' } | { cmd: 'close' }

const sockets: Socket[] = []
/** message id -> [receipts, latest receipt time (epoch ms, sub-ms)] */
let received = new Map<string, [number, number]>()
let events = 0

const nowMs = () => performance.timeOrigin + performance.now()

function connect(url: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: true })
    socket.on('changes', (payload: { changes?: { messages?: { id: string }[] } }) => {
      const at = nowMs()
      events++
      for (const m of payload.changes?.messages ?? []) {
        const entry = received.get(m.id)
        if (entry) {
          entry[0]++
          entry[1] = at
        } else received.set(m.id, [1, at])
      }
    })
    socket.once('connect', () => resolve())
    socket.once('connect_error', (err) => reject(err))
    sockets.push(socket)
  })
}

process.on('message', (command: Command) => {
  void (async () => {
    if (command.cmd === 'connect') {
      // A few at a time: the handshake resolves the session in the server's database.
      for (let i = 0; i < command.tokens.length; i += 20)
        await Promise.all(command.tokens.slice(i, i + 20).map((t) => connect(command.url, t)))
      // Rooms are joined asynchronously after the handshake; give the server a moment.
      await new Promise((r) => setTimeout(r, 300))
      process.send!({ connected: sockets.filter((s) => s.connected).length })
    } else if (command.cmd === 'report') {
      process.send!({
        sockets: sockets.filter((s) => s.connected).length,
        events,
        received: [...received.entries()],
      })
      received = new Map()
      events = 0
    } else {
      for (const s of sockets) s.disconnect()
      process.exit(0)
    }
  })()
})
process.on('disconnect', () => process.exit(0))
