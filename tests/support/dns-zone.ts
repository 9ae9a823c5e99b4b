import dgram from 'node:dgram'
import type { AddressInfo } from 'node:net'
import * as packet from 'dns-packet'

/** TXT records by name, lower-case: all a sender check asks (SPF, DKIM keys, DMARC policies). */
export type Zone = Record<string, string[]>

/**
 * A real DNS server on 127.0.0.1 (UDP, dns-packet) answering TXT questions from `zone`, and
 * NXDOMAIN for everything else: the portal server is pointed at it with PORTAL_DNS_SERVERS, so
 * its SPF, DKIM and DMARC checks run for real against records a test chose.
 */
export async function startDnsZone(zone: Zone): Promise<{ address: string; close(): Promise<void> }> {
  const socket = dgram.createSocket('udp4')
  socket.on('message', (message, remote) => {
    let query: packet.Packet
    try {
      query = packet.decode(message)
    } catch {
      return
    }
    const question = query.questions?.[0]
    const texts = question && question.type === 'TXT' ? zone[question.name.toLowerCase()] : undefined
    const answer = packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.AUTHORITATIVE_ANSWER | (texts ? 0 : 3), // rcode 3: NXDOMAIN
      questions: query.questions,
      answers: (texts ?? []).map((data) => ({
        type: 'TXT' as const,
        class: 'IN' as const,
        name: question!.name,
        ttl: 60,
        // Long records (DKIM keys) are split into 255-byte strings, as DNS carries them.
        data: data.match(/.{1,255}/g) ?? [''],
      })),
    })
    socket.send(answer, remote.port, remote.address)
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address() as AddressInfo
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  }
}
