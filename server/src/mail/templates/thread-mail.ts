import escapeHtml from 'escape-html'
import mjml2html from 'mjml'
import { REPLY_ABOVE_THIS_LINE } from '../inbound/reply-text'
import type { MailLayout } from '../mail-layout'

/** Everything a person wrote is text: escaped, its line breaks kept. */
const text = (value: string) => escapeHtml(value).replace(/\r?\n/g, '<br />')
const attr = (value: string) => escapeHtml(value)

const muted = 'color="#6b7280" font-size="12px" line-height="18px"'

/**
 * A mail about a thread, in the builder's name: who wrote, the message as written, its files,
 * the project, one button to the conversation, and the small print. MJML writes the tables and
 * inline styles that mail apps (Outlook included) show the same way.
 */
function threadMjml(company: string, layout: MailLayout): string {
  const files = layout.attachments.length
    ? `<mj-text font-size="13px" font-weight="700" padding-bottom="4px">Files</mj-text>
       ${layout.attachments
         .map(
           (f) =>
             `<mj-text font-size="14px" padding-top="0" padding-bottom="2px"><a href="${attr(f.url)}">${text(f.name)}</a></mj-text>`,
         )
         .join('')}`
    : ''
  return `<mjml lang="en">
  <mj-head>
    <mj-title>${text(company)}</mj-title>
    <mj-preview>${text(layout.preview)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="15px" line-height="22px" color="#111827" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f5f7">
    ${layout.replyAbove ? `<mj-section padding="12px 0 0"><mj-column><mj-text ${muted}>${text(REPLY_ABOVE_THIS_LINE)}</mj-text></mj-column></mj-section>` : ''}
    <mj-section background-color="#ffffff" border-radius="8px" padding="16px 8px">
      <mj-column>
        <mj-text font-size="13px" font-weight="700" color="#374151">${text(company)}</mj-text>
        ${layout.greeting ? `<mj-text>${text(layout.greeting)}</mj-text>` : ''}
        ${layout.paragraphs.map((p) => `<mj-text>${text(p)}</mj-text>`).join('')}
        ${layout.quote ? `<mj-text><div style="border-left:3px solid #d1d5db;padding-left:12px">${text(layout.quote)}</div></mj-text>` : ''}
        ${files}
        ${layout.button ? `<mj-button href="${attr(layout.button.url)}" background-color="#1c7ed6" border-radius="6px" font-size="15px" font-weight="600" align="left">${text(layout.button.label)}</mj-button>` : ''}
        ${layout.notes.length ? '<mj-divider border-width="1px" border-color="#e5e7eb" />' : ''}
        ${layout.notes.map((n) => `<mj-text ${muted}>${text(n)}</mj-text>`).join('')}
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`
}

/** The HTML part of a mail with a layout. A template error is a bug here, never the reader's. */
export async function renderMailHtml(company: string, layout: MailLayout): Promise<string> {
  const { html, errors } = await mjml2html(threadMjml(company, layout), {
    validationLevel: 'strict',
  })
  if (errors.length)
    throw new Error(`mail template: ${errors.map((e) => e.formattedMessage).join('; ')}`)
  return html
}
