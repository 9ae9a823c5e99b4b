const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether a link's id is a whole thread id (a link cut short in a mail client is not). */
export const isThreadId = (value: string) => UUID.test(value)

/** A thread id from a link, or null: the page only ever goes to a path of its own. */
export const threadIdIn = (value: string | null) => (value && UUID.test(value) ? value : null)

// issue 14: portal links
/** Where a link was for: a conversation and a file of it, when the address names them whole. */
export interface LinkDestination {
  threadId?: string
  fileId?: string
}

/** The page a destination opens: the conversation (downloading the file), else the dashboard. */
export function destinationPath(where: LinkDestination): string {
  if (!where.threadId) return '/'
  return `/threads/${where.threadId}${where.fileId ? `?file=${where.fileId}` : ''}`
}

/** The destination a thread page's address names (`/threads/<id>?file=<id>`), if any. */
export function destinationOf(pathname: string, params: URLSearchParams): LinkDestination {
  const threadId = threadIdIn(/^\/threads\/([^/]+)/.exec(pathname)?.[1] ?? null)
  const fileId = threadId ? threadIdIn(params.get('file')) : null
  return { ...(threadId && { threadId }), ...(fileId && { fileId }) }
}
