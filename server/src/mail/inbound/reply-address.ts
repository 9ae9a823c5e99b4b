import { randomBytes } from 'node:crypto'

/**
 * A reply address names the thread and the person it was mailed to by a token in its local
 * part: `reply+<token>@<inbound domain>`. 128 random bits written in lower-case base32, because
 * mail systems may change the case of a local part and some drop characters like `_` or `-`.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'
const TOKEN_LENGTH = 26
const TOKEN = /^[a-z2-7]{26}$/

export function newReplyToken(): string {
  const bytes = randomBytes(16)
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out.slice(0, TOKEN_LENGTH)
}

export function replyAddress(token: string, domain: string): string {
  return `reply+${token}@${domain}`
}

/**
 * The token of the first of `addresses` that is a reply address at `domain`, or null. Case is
 * ignored throughout: the domain is case-insensitive, and some servers upper-case local parts.
 */
export function replyTokenIn(addresses: readonly string[], domain: string): string | null {
  const wanted = `@${domain.toLowerCase()}`
  for (const address of addresses) {
    const lower = address.trim().toLowerCase()
    if (!lower.endsWith(wanted)) continue
    const local = lower.slice(0, -wanted.length)
    if (!local.startsWith('reply+')) continue
    const token = local.slice('reply+'.length)
    if (TOKEN.test(token)) return token
  }
  return null
}

/** The envelope sender of a mail sent out: a delivery report that comes back names the mail. */
export function bounceAddress(mailId: string, domain: string): string {
  return `bounces+${mailId}@${domain}`
}

const MAIL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The mail id of the first bounce address at `domain` among `addresses`, or null. */
export function bouncedMailIn(addresses: readonly string[], domain: string): string | null {
  const wanted = `@${domain.toLowerCase()}`
  for (const address of addresses) {
    const lower = address.trim().toLowerCase()
    if (!lower.endsWith(wanted) || !lower.startsWith('bounces+')) continue
    const id = lower.slice('bounces+'.length, -wanted.length)
    if (MAIL_ID.test(id)) return id
  }
  return null
}
