export const DEEP_LINK_SCHEME = 'portal-inbox'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** portal-inbox://thread/<id> → the thread id; anything else → null. */
export function threadFromDeepLink(link: string): string | null {
  try {
    const url = new URL(link)
    if (url.protocol !== `${DEEP_LINK_SCHEME}:` || url.hostname !== 'thread') return null
    const id = url.pathname.replace(/^\/+|\/+$/g, '')
    return uuid.test(id) ? id.toLowerCase() : null
  } catch {
    return null
  }
}

/** On Windows and Linux a deep link arrives as a command-line argument of the second instance. */
export function deepLinkInArgs(argv: string[]): string | null {
  for (const arg of argv) {
    const thread = threadFromDeepLink(arg)
    if (thread) return thread
  }
  return null
}
