// mailauth ships no types; these are the parts sender-checks.ts reads.
declare module 'mailauth' {
  interface Status {
    result: string
    comment?: string
  }
  export interface AuthenticateOptions {
    ip?: string
    helo?: string
    sender?: string
    mta?: string
    trustReceived?: boolean
    disableArc?: boolean
    disableBimi?: boolean
    resolver?: (name: string, rrtype: string) => Promise<unknown>
  }
  export interface AuthenticateResult {
    spf: { status: Status } | false
    dkim: { results: { status: Status; signingDomain?: string }[] }
    dmarc: { status: Status; policy?: string; domain?: string } | false
  }
  export function authenticate(
    message: Buffer | string,
    options?: AuthenticateOptions,
  ): Promise<AuthenticateResult>
}
