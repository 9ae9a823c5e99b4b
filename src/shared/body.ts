/**
 * A message body as the server stores it, and how long it is against the company's limit. The
 * composers count with the same rule the server checks, so what they say is what the server does.
 */

/** Keeps line breaks and tabs; drops other control characters, which no person types and snippets use as marks. */
export function normalizeBody(body: string): string {
  // eslint-disable-next-line no-control-regex
  return body.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
}

export interface BodyLimit {
  length: number
  max: number
  /** Close enough to the limit that the composer shows the count. */
  near: boolean
  over: boolean
  /** What to say when over, in a person's words; null otherwise. */
  problem: string | null
}

const fmt = (n: number) => n.toLocaleString('en-US')

export function bodyLimit(body: string, max: number): BodyLimit {
  const length = normalizeBody(body).length
  const over = length > max
  return {
    length,
    max,
    near: length >= max * 0.8,
    over,
    problem: over
      ? `Your message is ${fmt(length)} characters; the limit is ${fmt(max)}. Shorten it by ${fmt(length - max)}, or send the text as a file.`
      : null,
  }
}

/** "18,200 of 20,000 characters" */
export const bodyCount = (limit: BodyLimit): string =>
  `${fmt(limit.length)} of ${fmt(limit.max)} characters`
