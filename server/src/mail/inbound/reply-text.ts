import EmailReplyParser from 'email-reply-parser'

/**
 * The line our mails put above the quoted notification; a reply is cut at it first, because a
 * mail client may quote it without the `>` that marks quoted text.
 */
export const REPLY_ABOVE_THIS_LINE = '## Reply above this line to answer in the portal ##'

/**
 * email-reply-parser's patterns are backtracking regular expressions, so they only see text of a
 * size where none can take long, well above any message a person types by hand. Longer text is
 * kept whole (cut only at our marker): the company's limit on a message then refuses it in its
 * own words, instead of a cut here losing the end silently.
 */
const MOST_CHARS_PARSED = 100_000

/**
 * What the person wrote, without the quoted history and the signature their mail client added:
 * "On … wrote:", Outlook's "From: … Sent: …" block, "Sent from my iPhone", "-- " signatures.
 */
export function replyText(text: string): string {
  const normalized = text.replace(/\r\n?/g, '\n')
  const marker = normalized.indexOf(REPLY_ABOVE_THIS_LINE)
  const own = marker >= 0 ? normalized.slice(0, marker) : normalized
  // Clients that quote our marker put their own header line ("On …, … wrote:") just above it,
  // which the parser cuts with the rest of the quote.
  const visible =
    own.length > MOST_CHARS_PARSED ? own : new EmailReplyParser().read(own).getVisibleText()
  return visible.replace(/\n{3,}/g, '\n\n').trim()
}
