const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether a link's id is a whole thread id (a link cut short in a mail client is not). */
export const isThreadId = (value: string) => UUID.test(value)

/** A thread id from a link, or null: the page only ever goes to a path of its own. */
export const threadIdIn = (value: string | null) => (value && UUID.test(value) ? value : null)
