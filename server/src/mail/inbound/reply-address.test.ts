import { describe, expect, it } from 'vitest'
import { newReplyToken, replyAddress, replyTokenIn } from './reply-address'

describe('reply addresses', () => {
  it('are 26 lower-case base32 characters, different each time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newReplyToken))
    expect(tokens.size).toBe(1000)
    for (const t of tokens) expect(t).toMatch(/^[a-z2-7]{26}$/)
  })

  it('are found among the recipients whatever the case, at the inbound domain only', () => {
    const token = newReplyToken()
    const address = replyAddress(token, 'in.harbor.test')
    expect(replyTokenIn(['sam@harbor.test', address], 'in.harbor.test')).toBe(token)
    expect(replyTokenIn([address.toUpperCase()], 'IN.Harbor.test')).toBe(token)
    expect(replyTokenIn([address], 'other.test')).toBeNull()
    expect(replyTokenIn([`reply+${token}x@in.harbor.test`], 'in.harbor.test')).toBeNull()
    expect(
      replyTokenIn([`reply+${token}@evil.in.harbor.test.example`], 'in.harbor.test'),
    ).toBeNull()
    expect(replyTokenIn([`noreply+${token}@in.harbor.test`], 'in.harbor.test')).toBeNull()
  })
})
