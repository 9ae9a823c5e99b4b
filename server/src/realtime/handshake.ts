import type { SessionRepository } from '../repositories/sessions'
import { AppError } from '../errors'
import { handshakeToken } from '../session-token'
import type { PortalIo } from './sockets'

/**
 * Live connections one sign-in and one person may hold (this node). A person has the desktop app
 * and some portal tabs on a few devices; hundreds on one token is a leak or an attack, and each
 * socket costs memory and a place in every room.
 */
export const MAX_SOCKETS_PER_SESSION = 20
export const MAX_SOCKETS_PER_PERSON = 50

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by
  if (n > 0) counts.set(key, n)
  else counts.delete(key)
}

/** Turns a refusal into what the client's connect_error carries. */
const refused = (code: string, message: string) =>
  Object.assign(new Error(message), { data: { code, message } })

/**
 * The session token is checked in the handshake, and a socket over its session's or person's
 * cap is refused with the reason. Open sockets are counted per session hash and per person on
 * this node, from the accepted handshake until the disconnect.
 */
export function checkHandshakes(io: PortalIo, sessions: SessionRepository): void {
  const perSession = new Map<string, number>()
  const perPerson = new Map<string, number>()
  const overCap = (tokenHash: string, userId: string): string | null => {
    if ((perSession.get(tokenHash) ?? 0) >= MAX_SOCKETS_PER_SESSION)
      return `This sign-in already has ${MAX_SOCKETS_PER_SESSION} live connections open. Close some portal tabs or app windows, then reload.`
    if ((perPerson.get(userId) ?? 0) >= MAX_SOCKETS_PER_PERSON)
      return `Your account already has ${MAX_SOCKETS_PER_PERSON} live connections open. Close some portal tabs or app windows on your devices, then reload.`
    return null
  }

  io.use((socket, next) => {
    sessions
      .resolveSession(handshakeToken(socket.handshake))
      .then(({ caller, tokenHash, expiresAt }) => {
        // Checked and counted in one synchronous step, so racing handshakes cannot all slip in.
        const refusal = overCap(tokenHash, caller.id)
        if (refusal) return next(refused('TOO_MANY_CONNECTIONS', refusal))
        bump(perSession, tokenHash, 1)
        bump(perPerson, caller.id, 1)
        socket.data.caller = caller
        socket.data.tokenHash = tokenHash
        socket.data.expiresAt = expiresAt
        socket.once('disconnect', () => {
          bump(perSession, tokenHash, -1)
          bump(perPerson, caller.id, -1)
        })
        next()
      })
      .catch((err: unknown) => {
        const e = err instanceof AppError ? err : new AppError('UNAUTHENTICATED', 'Sign in first.')
        next(refused(e.code, e.message))
      })
  })
}
