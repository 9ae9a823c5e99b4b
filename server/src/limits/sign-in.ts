import { sha256 } from '../util'
import { tooMany } from './refusal'
import type { Counter, CounterSpec, LimitStore } from './store'

/**
 * Who is signing in, from where, against which password. The password hash is never stored
 * here; a digest of it ends the pair's key, so setting a new password starts every pair's count
 * afresh (below).
 */
export interface SignInParty {
  email: string
  ip: string
  passwordHash: string | null
}

export const SIGN_IN_LIMITS = {
  /** Guessing one account from one place. */
  pair: { name: 'sign-in:pair', points: 8, seconds: 15 * 60 },
  /** Guessing one account from many places (a botnet). */
  email: { name: 'sign-in:email', points: 30, seconds: 60 * 60 },
  /** Guessing many accounts from one place (which may be an office behind one NAT address). */
  address: { name: 'sign-in:address', points: 50, seconds: 15 * 60 },
  /** Places where the account signed in with its password: counted successes, 30 days. */
  known: { name: 'sign-in:known', points: 1_000_000, seconds: 30 * 86_400 },
  /** Reset links asked for from one place: refused beyond this (a flood of requests). */
  resetAddress: { name: 'reset:address', points: 10, seconds: 60 * 60 },
  /** Reset links mailed to one address: quietly no more beyond this (no inbox flood). */
  resetEmail: { name: 'reset:email', points: 3, seconds: 60 * 60 },
  // issue 14: portal links. Sign-in links, counted as reset links are but apart from them, so
  // asking for one kind does not use up the other.
  linkAddress: { name: 'sign-in-link:address', points: 10, seconds: 60 * 60 },
  linkEmail: { name: 'sign-in-link:email', points: 3, seconds: 60 * 60 },
} satisfies Record<string, CounterSpec>

export type SignInLimits = typeof SIGN_IN_LIMITS

const FORGOT = 'choose “Forgot password?” to get a reset link by email'

/**
 * Failed sign-ins, counted so that guessing is slow and a person who knows the password still
 * gets in. The design, and why:
 *
 * - The pair (email, address) is the only counter that can refuse everyone: 8 failures in 15
 *   minutes refuse that account from that address. An attacker elsewhere cannot raise it, so
 *   they cannot lock out the person; one at the person's own address can, and for that case the
 *   reset link is the way out: a new password ends the pair key, so the count starts again.
 * - The email counter (30 an hour, from anywhere) and the address counter (50 in 15 minutes, for
 *   any accounts) catch distributed guessing and one place trying many accounts. They refuse
 *   only pairs that are not known. A pair is known when that account signed in with its
 *   password from that address in the last 30 days: someone there knew the password, so
 *   refusing them would punish the person and not the attacker, who is by definition elsewhere
 *   (for the email lock) or guessing other accounts (for the address lock). A new device or a
 *   colleague signing in for the first time behind a NAT an attacker shares does wait, or uses
 *   the reset link, which clears the email's count and makes the pair known.
 * - A refused attempt is not counted and the password is not checked, so a lock ends when its
 *   window ends however hard someone keeps trying: it never renews itself.
 * - Correct passwords never count against anyone, and addresses are counted per IPv4 address
 *   and per IPv6 /64 (what one subscriber holds), so a new IPv6 address is not a new place.
 */
export class SignInLimiter {
  private readonly pair: Counter
  private readonly email: Counter
  private readonly address: Counter
  private readonly known: Counter
  private readonly resetAddress: Counter
  private readonly resetEmail: Counter
  private readonly linkAddress: Counter
  private readonly linkEmail: Counter

  constructor(store: LimitStore, sizes: SignInLimits = SIGN_IN_LIMITS) {
    this.pair = store.counter(sizes.pair)
    this.email = store.counter(sizes.email)
    this.address = store.counter(sizes.address)
    this.known = store.counter(sizes.known)
    this.resetAddress = store.counter(sizes.resetAddress)
    this.resetEmail = store.counter(sizes.resetEmail)
    this.linkAddress = store.counter(sizes.linkAddress)
    this.linkEmail = store.counter(sizes.linkEmail)
  }

  /** Refuses (429) before the password is checked when a lock applies to this party. */
  async check(party: SignInParty): Promise<void> {
    const where = addressKey(party.ip)
    const pair = await this.pair.peek(pairKey(party))
    if (pair && pair.consumed >= this.pair.spec.points)
      throw tooMany(
        (wait) => `Too many failed sign-ins from here. Wait ${wait}, or ${FORGOT}.`,
        pair.msBeforeReset,
        { lock: 'account-and-address' },
      )
    if (await this.known.peek(knownKey(party.email, where))) return
    const byEmail = await this.email.peek(party.email)
    if (byEmail && byEmail.consumed >= this.email.spec.points)
      throw tooMany(
        (wait) =>
          `Too many failed sign-ins for this account from different places. Where you signed in before, your password still works; here, wait ${wait}, or ${FORGOT}.`,
        byEmail.msBeforeReset,
        { lock: 'account' },
      )
    const byAddress = await this.address.peek(where)
    if (byAddress && byAddress.consumed >= this.address.spec.points)
      throw tooMany(
        (wait) =>
          `Too many failed sign-ins from your network. If you signed in here before, your password still works; otherwise wait ${wait}, or ${FORGOT}.`,
        byAddress.msBeforeReset,
        { lock: 'address' },
      )
  }

  async failed(party: SignInParty): Promise<void> {
    await this.pair.add(pairKey(party))
    await this.email.add(party.email)
    await this.address.add(addressKey(party.ip))
  }

  /** The password was right: this place is known from now on, and its own mistakes are forgiven. */
  async succeeded(party: SignInParty): Promise<void> {
    await this.pair.forget(pairKey(party))
    await this.known.add(knownKey(party.email, addressKey(party.ip)))
  }

  /**
   * A password was set through an emailed link, which proves the mailbox: the account's count
   * from everywhere is cleared and the place the link was opened is known. Pair counts need no
   * clearing: the new password ends every pair key.
   */
  async passwordSet(email: string, ip: string): Promise<void> {
    await this.email.forget(email)
    await this.known.add(knownKey(email, addressKey(ip)))
  }

  /**
   * Counts a request for a reset link. Refuses (429) a place that asks too often; answers false,
   * without a refusal, once an address has been sent enough links for now, so the answer says
   * nothing about whether the account exists and nobody can flood its inbox.
   */
  async resetRequested(email: string, ip: string): Promise<boolean> {
    const counters = { place: this.resetAddress, inbox: this.resetEmail }
    return this.linkRequested(counters, 'reset links', { email, ip })
  }

  /** The same for a sign-in link by email (issue 14), on counters of its own. */
  async signInLinkRequested(email: string, ip: string): Promise<boolean> {
    const counters = { place: this.linkAddress, inbox: this.linkEmail }
    return this.linkRequested(counters, 'sign-in links', { email, ip })
  }

  private async linkRequested(
    counters: { place: Counter; inbox: Counter },
    links: string,
    asked: { email: string; ip: string },
  ): Promise<boolean> {
    const fromHere = await counters.place.add(addressKey(asked.ip))
    if (!fromHere.allowed)
      throw tooMany(
        (wait) =>
          `You asked for ${links} several times in a short while. Check your inbox (and spam folder) for the ones already sent, or try again in ${wait}.`,
        fromHere.msBeforeReset,
        { lock: 'address' },
      )
    return (await counters.inbox.add(asked.email)).allowed
  }
}

const pairKey = (party: SignInParty) =>
  `${party.email}|${addressKey(party.ip)}|${party.passwordHash ? sha256(party.passwordHash).slice(0, 16) : '-'}`
const knownKey = (email: string, where: string) => `${email}|${where}`

/** An IPv4 address as it is (also when IPv6-mapped); an IPv6 address by its /64. */
export function addressKey(ip: string): string {
  const bare = ip.replace(/%.*$/, '').toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)
  if (mapped?.[1]) return mapped[1]
  if (!bare.includes(':')) return bare
  const [head = '', tail] = bare.split('::')
  const front = head ? head.split(':') : []
  const back = tail ? tail.split(':') : []
  const groups =
    tail === undefined
      ? front
      : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back]
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`
}
