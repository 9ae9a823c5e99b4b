import type { Server } from 'node:http'

/** The http:// address a listening server answers on (IPv6 hosts in brackets); null before it listens. */
export function listeningUrl(server: Server, host: string): string | null {
  const address = server.address()
  if (!address || typeof address !== 'object') return null
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
}
