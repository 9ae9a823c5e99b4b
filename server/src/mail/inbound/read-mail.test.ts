import { describe, expect, it } from 'vitest'
import { readMail } from './read-mail'
import { replyText } from './reply-text'

const mime = (headers: string[], body: string) => Buffer.from([...headers, '', body].join('\r\n'))

describe('reading a received mail', () => {
  it('an HTML-only reply (a phone or webmail client) gives its own words, the quote cut', async () => {
    const raw = mime(
      [
        'From: Carla Mendes <Customer@Demo.test>',
        'To: reply+abc@in.test',
        'Subject: Re: Railing',
        'Message-ID: <1@mail.demo.test>',
        'MIME-Version: 1.0',
        'Content-Type: text/html; charset=utf-8',
      ],
      '<div dir="ltr">Thanks, Friday <b>works</b>.<br>See you then.</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, Dec 7, 2026 at 10:20 AM Harbor &amp; Pine Builders &lt;reply+abc@in.test&gt; wrote:<br></div><blockquote class="gmail_quote"><p>Hello Carla,</p><p>Sam wrote</p></blockquote></div>',
    )
    const mail = await readMail(raw, {})
    expect(replyText(mail.text)).toBe('Thanks, Friday works.\nSee you then.')
    expect(mail.fromAddress.toLowerCase()).toBe('customer@demo.test')
    expect(mail.recipients).toContain('reply+abc@in.test')
    expect(mail.automated).toBeNull()
  })

  it('the same Message-ID is the same mail whatever its case or spacing; none: the raw mail is the key', async () => {
    const one = await readMail(mime(['Message-ID: <ABC@x>', 'From: a@b.test'], 'hi'), {})
    const two = await readMail(mime(['Message-ID:  <abc@x> ', 'From: a@b.test'], 'hello'), {})
    expect(one.key).toBe(two.key)
    const bare1 = await readMail(mime(['From: a@b.test'], 'hi'), {})
    const bare2 = await readMail(mime(['From: a@b.test'], 'hello'), {})
    expect(bare1.key).not.toBe(bare2.key)
  })

  it('envelope recipients count (a reply address only in the envelope, as with Bcc)', async () => {
    const mail = await readMail(mime(['From: a@b.test', 'To: someone@else.test'], 'hi'), {
      recipients: ['reply+xyz@in.test'],
    })
    expect(mail.recipients[0]).toBe('reply+xyz@in.test')
  })
})
