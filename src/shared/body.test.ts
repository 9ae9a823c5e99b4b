import { describe, expect, it } from 'vitest'
import { bodyCount, bodyLimit, normalizeBody } from './body'

describe('bodyLimit', () => {
  it('counts as the server stores the text: CRLF as one, control characters dropped', () => {
    expect(normalizeBody('a\r\nb\u0000c\td')).toBe('a\nbc\td')
    expect(bodyLimit('a\r\nb', 10).length).toBe(3)
  })

  it('is near at 80 percent, over past the limit, and says by how much', () => {
    expect(bodyLimit('x'.repeat(79), 100)).toMatchObject({
      near: false,
      over: false,
      problem: null,
    })
    expect(bodyLimit('x'.repeat(80), 100)).toMatchObject({ near: true, over: false })
    const over = bodyLimit('x'.repeat(23_450), 20_000)
    expect(over.over).toBe(true)
    expect(over.problem).toBe(
      'Your message is 23,450 characters; the limit is 20,000. Shorten it by 3,450, or send the text as a file.',
    )
    expect(bodyCount(bodyLimit('x'.repeat(18_200), 20_000))).toBe('18,200 of 20,000 characters')
  })
})
