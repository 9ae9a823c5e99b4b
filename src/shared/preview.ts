/**
 * The one-line preview of a message for thread lists, notifications and emails, the same on
 * the server and in the desktop engine: the text on one line, or the file names when there is no
 * text, and internal notes labelled so a list never passes one off as a reply to the customer.
 */
export function messagePreview(
  body: string,
  attachmentNames: readonly string[],
  options: { internal?: boolean; max?: number } = {},
): string {
  const max = options.max ?? 140
  const text = body.replace(/\s+/g, ' ').trim()
  const line = text
    ? text.length > max
      ? `${text.slice(0, max - 1)}…`
      : text
    : attachmentNames.length
      ? `📎 ${attachmentNames.join(', ')}`.slice(0, max)
      : ''
  return options.internal ? `Internal note: ${line}` : line
}
