import { Resolver } from 'node:dns/promises'
import { authenticate } from 'mailauth'
import { z } from 'zod'

/** Looks up DNS records as `dns.promises.resolve` does. */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>

/** A resolver that asks these servers (`ip` or `ip:port`) instead of the system's. */
export function resolverAt(servers: string[]): DnsResolver {
  const resolver = new Resolver({ timeout: 3000, tries: 2 })
  resolver.setServers(servers)
  return (name, rrtype) => resolver.resolve(name, rrtype)
}

/** What the sender checks found, recorded with every mail received. */
export const SenderVerdict = z.object({
  spf: z.string(),
  dkim: z.string(),
  dmarc: z.string(),
  /** The From domain's published DMARC policy (none, quarantine, reject), when it has one. */
  dmarcPolicy: z.string().nullable(),
})
export type SenderVerdict = z.infer<typeof SenderVerdict>

export interface Envelope {
  /** The connecting client's address (SMTP); unknown for a provider's webhook. */
  remoteAddress?: string | undefined
  helo?: string | undefined
  /** MAIL FROM; `''` for the null sender of bounces. */
  mailFrom?: string | undefined
}

/**
 * SPF, DKIM and DMARC with mailauth. Over SMTP the client's address and MAIL FROM are known; a
 * provider's webhook has only the mail, so SPF is "none" there and DMARC rests on DKIM.
 */
export async function checkSender(
  raw: Buffer,
  envelope: Envelope,
  options: { resolver?: DnsResolver | undefined; mta: string },
): Promise<SenderVerdict> {
  try {
    const result = await authenticate(raw, {
      ...(envelope.remoteAddress && { ip: envelope.remoteAddress }),
      ...(envelope.helo && { helo: envelope.helo }),
      ...(envelope.mailFrom && { sender: envelope.mailFrom }),
      mta: options.mta,
      disableArc: true,
      disableBimi: true,
      ...(options.resolver && { resolver: options.resolver }),
    })
    const dkim = result.dkim.results
    return {
      spf: envelope.remoteAddress && result.spf ? result.spf.status.result : 'none',
      dkim: dkim.some((d) => d.status.result === 'pass')
        ? 'pass'
        : (dkim[0]?.status.result ?? 'none'),
      dmarc: result.dmarc ? result.dmarc.status.result : 'none',
      dmarcPolicy: (result.dmarc && result.dmarc.policy) || null,
    }
  } catch {
    // A check that could not run (DNS down) holds nothing back: the reply token still names
    // the person, and the verdict says the checks did not run.
    return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', dmarcPolicy: null }
  }
}

/** A mail whose From domain's DMARC failed waits for staff even with a valid reply token. */
export const heldForReview = (verdict: SenderVerdict): boolean => verdict.dmarc === 'fail'
