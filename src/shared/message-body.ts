/**
 * The company's limit on a message's text (settings.maxBodyChars), said the same way by the
 * composer as the person nears it, by the engine before anything is queued, and by the server
 * (server/src/services/messaging.ts) as the last word. Counted in UTF-16 units, as the server
 * counts after normalizing line ends; a text box never holds the \r it strips, so the composer's
 * count is never below the server's.
 */
const n = (value: number) => value.toLocaleString('en')

/** A body as the server stores it: line breaks and tabs kept, other control characters (which no person types, and snippets use as marks) dropped. */
export function normalizeBody(body: string): string {
  // eslint-disable-next-line no-control-regex
  return body.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
}

/** The refusal, or null when the text fits. */
export function bodyTooLong(length: number, maxBodyChars: number): string | null {
  if (length <= maxBodyChars) return null
  return `The message is ${n(length)} characters; the limit is ${n(maxBodyChars)}. Split it, or attach it as a document.`
}

/** From this share of the limit on, the composer shows the count. */
export const NEAR_LIMIT = 0.8

/** "18,400 of 20,000 characters" once the text nears the limit; null before. */
export function bodyCount(length: number, maxBodyChars: number): string | null {
  if (length < maxBodyChars * NEAR_LIMIT) return null
  return `${n(length)} of ${n(maxBodyChars)} characters`
}
