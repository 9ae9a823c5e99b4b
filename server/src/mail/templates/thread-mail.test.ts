import { describe, expect, it } from 'vitest'
import { REPLY_ABOVE_THIS_LINE } from '../inbound/reply-text'
import type { MailLayout } from '../mail-layout'
import { renderMailHtml } from './thread-mail'

const layout: MailLayout = {
  preview: 'The railing delivery moved to Friday.',
  greeting: 'Hello Carla Mendes,',
  paragraphs: ['Sam Rivera from Harbor & Pine Builders wrote in “Railing” (Maple Street Remodel):'],
  quote: 'The railing delivery moved to Friday.\nThe crew comes at 8 <sharp>.',
  attachments: [
    { name: 'layout <v2>.pdf', url: 'https://portal.test/portal/threads/t?file=a&x="1"' },
  ],
  button: { label: 'Open the conversation', url: 'https://portal.test/portal/threads/t' },
  notes: ['For urgent matters, please call us at (555) 010-4477.'],
  replyAbove: true,
}

describe('the HTML part of a thread mail', () => {
  it('says who wrote, the message with its line breaks, the files and the button, all escaped', async () => {
    const html = await renderMailHtml('Harbor & Pine Builders', layout)
    expect(html).toContain('Harbor &amp; Pine Builders')
    expect(html).toContain(
      'The railing delivery moved to Friday.<br />The crew comes at 8 &lt;sharp&gt;.',
    )
    expect(html).toContain('layout &lt;v2&gt;.pdf')
    expect(html).toContain('href="https://portal.test/portal/threads/t?file=a&amp;x=&quot;1&quot;"')
    expect(html).toContain('Open the conversation')
    expect(html).toContain(REPLY_ABOVE_THIS_LINE)
    expect(html).not.toContain('<sharp>')
  })

  it('leaves out what a mail does not have', async () => {
    const html = await renderMailHtml('Harbor & Pine Builders', {
      ...layout,
      greeting: null,
      quote: null,
      attachments: [],
      button: null,
      notes: [],
      replyAbove: false,
    })
    expect(html).not.toContain('Files')
    expect(html).not.toContain(REPLY_ABOVE_THIS_LINE)
  })
})
