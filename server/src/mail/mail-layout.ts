import { z } from 'zod'
import { REPLY_ABOVE_THIS_LINE } from './inbound/reply-text'

/**
 * What a mail's HTML part shows, stored with the mail in the outbox and rendered when it is
 * sent (templates/), so a message's write does not wait for a render. The plain-text part is
 * written from the same facts when the mail is queued.
 */
export const MailLayout = z.object({
  /** The line mail apps show beside the subject in a list. */
  preview: z.string(),
  greeting: z.string().nullable(),
  /** Who wrote where ("Sam Rivera from Harbor & Pine Builders wrote in …:"), or what the mail says. */
  paragraphs: z.array(z.string()),
  /** The message itself, as written (line breaks kept), or null. */
  quote: z.string().nullable(),
  attachments: z.array(z.object({ name: z.string(), url: z.string() })),
  button: z.object({ label: z.string(), url: z.string() }).nullable(),
  /** Small print under the button: how to reach the builder, why this mail came, how to stop it. */
  notes: z.array(z.string()),
  /** Replies by email are on: the mail starts with the line to reply above. */
  replyAbove: z.boolean(),
})
export type MailLayout = z.infer<typeof MailLayout>

/**
 * The plain-text part, written from the same layout as the HTML one, so the two cannot say
 * different things: the marker to reply above, the greeting, the paragraphs, the message quoted
 * with "> ", the files and the button as "label: link", then the small print.
 */
export function plainText(layout: MailLayout): string {
  const blocks: string[][] = []
  if (layout.replyAbove) blocks.push([REPLY_ABOVE_THIS_LINE])
  if (layout.greeting) blocks.push([layout.greeting])
  for (const p of layout.paragraphs) blocks.push([p])
  if (layout.quote) blocks.push(layout.quote.split('\n').map((line) => `> ${line}`))
  if (layout.attachments.length)
    blocks.push(['Files:', ...layout.attachments.map((f) => `  ${f.name}: ${f.url}`)])
  if (layout.button) blocks.push([`${layout.button.label}: ${layout.button.url}`])
  for (const note of layout.notes) blocks.push([note])
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`
}

/** A mail item's text and layout from the one layout. */
export function laidOut(layout: MailLayout): { text: string; layout: MailLayout } {
  return { text: plainText(layout), layout }
}
