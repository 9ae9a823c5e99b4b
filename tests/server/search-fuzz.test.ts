import fc from 'fast-check'
import { describe, expect } from 'vitest'
import { ErrorBodySchema, SearchResult } from '../../src/shared/protocol'
import type { Api } from '../support/api'
import { serverSuite } from '../support/fixtures'
import { searchInput } from '../support/search-input'

/**
 * The search language through the real server and its real FTS5 index (issue 11, item 6): no
 * query string, however odd, gets a 5xx. Bytes go on the wire percent-encoded one by one, so
 * what a tester can send (a NUL, invalid UTF-8, a lone surrogate's bytes) reaches the server.
 */

const it = serverSuite()

const percent = (bytes: Iterable<number>) =>
  [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')
/** UTF-8 as a browser sends it (a lone surrogate becomes U+FFFD's bytes). */
const utf8 = (text: string) => percent(new TextEncoder().encode(text))

const search = (api: Api, encodedQ: string) => api.get(`/search?q=${encodedQ}&limit=20`)
const hitIds = (body: unknown) => SearchResult.parse(body).hits.map((h) => h.messageId)

describe('GET /search', () => {
  it('tile%00 finds what tile finds (it answered 500: FTS5 said "unterminated string")', async ({
    sam: staff,
    carla,
  }) => {
    const plain = await search(staff, 'tile')
    expect(plain.status).toBe(200)
    expect(hitIds(plain.body).length).toBeGreaterThan(0)
    const nul = await search(staff, 'tile%00')
    expect(nul.status, JSON.stringify(nul.body)).toBe(200)
    expect(hitIds(nul.body)).toEqual(hitIds(plain.body))
    const inPhrase = await search(carla, '%22tile%00photos%22')
    expect(inPhrase.status, JSON.stringify(inPhrase.body)).toBe(200)
  })

  it('answers any query with hits or a 4xx in the error shape, never a 5xx', async ({
    sam: staff,
    carla,
  }) => {
    const encodedQuery = fc.oneof(
      { weight: 4, arbitrary: searchInput.map(utf8) },
      // Arbitrary bytes: invalid UTF-8, overlong forms, the CESU-8 bytes of a lone surrogate.
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }).map(percent) },
    )
    await fc.assert(
      fc.asyncProperty(encodedQuery, fc.boolean(), async (q, asCustomer) => {
        const res = await search(asCustomer ? carla : staff, q)
        const context = `q=${q} -> ${res.status} ${JSON.stringify(res.body)}`
        expect(res.status, context).toBeLessThan(500)
        if (res.status === 200) expect(SearchResult.safeParse(res.body).success, context).toBe(true)
        else expect(ErrorBodySchema.safeParse(res.body).success, context).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})
