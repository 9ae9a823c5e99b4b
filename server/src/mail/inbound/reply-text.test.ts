import { describe, expect, it } from 'vitest'
import { REPLY_ABOVE_THIS_LINE, replyText } from './reply-text'

// Replies as each client writes them under a Portal Inbox notification (quoted headers, marker,
// signatures), taken from what these clients put in the plain-text part.
const notification = [
  REPLY_ABOVE_THIS_LINE,
  '',
  'Sam Ortiz from Harbor & Pine Builders wrote in "Railing delivery" (Maple Street Remodel):',
  '',
  '    The railing delivery moved to Friday.',
].join('\n')
const quoted = notification
  .split('\n')
  .map((l) => `> ${l}`)
  .join('\n')

const cases: [client: string, mail: string, expected: string][] = [
  [
    'Gmail',
    `Thanks, Friday works for us.\n\nOn Mon, Dec 7, 2026 at 10:20 AM Harbor & Pine Builders <reply+abc@in.harbor.test> wrote:\n\n${quoted}\n`,
    'Thanks, Friday works for us.',
  ],
  [
    'Outlook (desktop)',
    `Friday is fine.\r\n\r\nCarla\r\n\r\n________________________________\r\nFrom: Harbor & Pine Builders <reply+abc@in.harbor.test>\r\nSent: Monday, December 7, 2026 10:20 AM\r\nTo: Carla Mendes <carla@example.test>\r\nSubject: New message from Harbor & Pine Builders: Railing delivery\r\n\r\n${notification.replace(/\n/g, '\r\n')}\r\n`,
    'Friday is fine.\n\nCarla',
  ],
  [
    'Apple Mail on an iPhone',
    `Sounds good, see you Friday!\n\nSent from my iPhone\n\n> On Dec 7, 2026, at 10:20, Harbor & Pine Builders <reply+abc@in.harbor.test> wrote:\n> \n${quoted}\n`,
    'Sounds good, see you Friday!',
  ],
  [
    'Outlook for Android',
    `Ok see you then\n\nGet Outlook for Android\n________________________________\nFrom: Harbor & Pine Builders <reply+abc@in.harbor.test>\nSent: Monday, December 7, 2026 10:20:01 AM\nTo: carla@example.test\nSubject: Railing delivery\n\n${notification}\n`,
    'Ok see you then',
  ],
  [
    'a client that quotes without ">" (the marker cuts it)',
    `Yes, the side gate is open.\n\n${notification}\n`,
    'Yes, the side gate is open.',
  ],
  [
    'a signature after "-- "',
    'Please go ahead with the walnut stain.\n\n-- \nCarla Mendes\n555-0100\n',
    'Please go ahead with the walnut stain.',
  ],
]

describe('the text of a reply by email', () => {
  it.each(cases)('%s: only what the person wrote', (_client, mail, expected) => {
    expect(replyText(mail)).toBe(expected)
  })

  it('keeps a reply with no quote whole, line breaks and all', () => {
    const text = 'Line one\nLine two\n\nA new paragraph with > a sign in it.'
    expect(replyText(text)).toBe(text)
  })

  it('keeps a paste too long to parse whole, so the message limit can refuse it in words', () => {
    const long = `${'All the trim in the hallway. '.repeat(10_000)}\n\nOn Mon wrote:\n> old`
    expect(replyText(long)).toBe(long.trim())
  })
})
