import { describe, expect, it } from 'vitest'
import { bodyCount, bodyTooLong, normalizeBody } from './message-body'

describe('the message limit', () => {
  it('is said as the text nears it, and the refusal names both numbers in the server’s words', () => {
    expect(bodyCount(15_999, 20_000)).toBeNull()
    expect(bodyCount(16_000, 20_000)).toBe('16,000 of 20,000 characters')
    expect(bodyTooLong(20_000, 20_000)).toBeNull()
    expect(bodyTooLong(30_000, 20_000)).toBe(
      'The message is 30,000 characters; the limit is 20,000. Split it, or attach it as a document.',
    )
  })

  it('counts as the server stores the text: CRLF as one line break, control characters dropped', () => {
    expect(normalizeBody('a\r\nb\u0000c\td')).toBe('a\nbc\td')
  })
})
