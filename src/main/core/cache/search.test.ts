import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedInStore, emptyChanges, ids, message, thread, uuid } from './fixtures'
import type { CacheStore } from './store'
import { searchCache } from './search'
import { searchInput, wordsSplitBy } from '../../../../tests/support/search-input'

let store: CacheStore
const hits = (q: string) => searchCache(store.db, ids.sam, q, 50).map((h) => h.messageId)
const m = (n: number) => uuid(1000 + n)

beforeAll(() => {
  store = signedInStore()
  store.apply(
    emptyChanges({
      threads: [
        thread(1, { subject: 'Tile selection' }),
        thread(2, { subject: 'Window quote', projectId: ids.oak }),
      ],
      messages: [
        message(1, 1, {
          body: 'We picked the warm gray grout',
          createdAt: '2026-01-05T10:00:00.000Z',
        }),
        message(2, 1, {
          body: 'Great choice, ordering the grout now',
          authorId: ids.sam,
          createdAt: '2026-01-06T10:00:00.000Z',
        }),
        message(3, 1, {
          body: 'Photo attached',
          createdAt: '2026-02-01T10:00:00.000Z',
          attachments: [
            {
              id: uuid(9001),
              messageId: m(3),
              projectId: ids.maple,
              name: 'showroom-tile.png',
              size: 10,
              contentType: 'image/png',
              sha256: 'ab',
              createdAt: '2026-02-01T10:00:00.000Z',
            },
          ],
        }),
        message(4, 2, {
          body: 'URGENT the window leaks',
          urgent: true,
          projectId: ids.oak,
          createdAt: '2026-02-10T10:00:00.000Z',
        }),
        message(5, 2, {
          body: 'Placement of the windows looks right',
          projectId: ids.oak,
          createdAt: '2026-02-11T10:00:00.000Z',
        }),
      ],
      reads: [
        {
          messageId: m(5),
          threadId: uuid(2),
          userId: ids.sam,
          readAt: '2026-02-12T00:00:00.000Z',
          seq: 5000,
        },
      ],
    }),
  )
})

describe('searchCache', () => {
  it('finds words newest first with highlighted snippets', () => {
    expect(hits('grout')).toEqual([m(2), m(1)])
    const [first] = searchCache(store.db, ids.sam, 'grout', 50)
    expect(first?.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(['grout'])
    expect(first).toMatchObject({
      subject: 'Tile selection',
      projectName: 'Maple Street Remodel',
      authorName: 'Sam Rivera',
    })
  })

  it('phrases, prefixes, subjects and attachment names', () => {
    expect(hits('"warm gray"')).toEqual([m(1)])
    expect(hits('"gray warm"')).toEqual([])
    expect(hits('pla*')).toEqual([m(5)])
    expect(hits('showroom')).toEqual([m(3)])
    expect(hits('quote')).toEqual([m(5), m(4)])
  })

  it('every operator', () => {
    expect(hits('from:carla grout')).toEqual([m(1)])
    expect(hits('from:"Sam Rivera"')).toEqual([m(2)])
    expect(hits('project:oak')).toEqual([m(5), m(4)])
    expect(hits('project:maple window')).toEqual([])
    expect(hits('before:2026-01-06 grout')).toEqual([m(1)])
    expect(hits('after:2026-01-06 grout')).toEqual([m(2)])
    expect(hits('has:attachment')).toEqual([m(3)])
    expect(hits('is:urgent')).toEqual([m(4)])
    expect(hits('is:unread project:oak')).toEqual([m(4)])
    expect(hits('is:unread from:sam')).toEqual([])
  })

  it('empty or hostile input returns nothing and never throws', () => {
    for (const q of [
      '',
      '   ',
      '"',
      '*',
      'NEAR(',
      'a OR',
      ')(',
      '"unbalanced',
      'col:*',
      '^',
      '\u0000',
      'x'.repeat(400),
    ]) {
      expect(() => searchCache(store.db, ids.sam, q, 50)).not.toThrow()
    }
    expect(hits('')).toEqual([])
    expect(hits('grout OR')).toEqual([])
    expect(hits('AND')).toEqual([])
  })
})

describe('searchCache against the real FTS5, whatever is typed', () => {
  it('a NUL after a word finds what the word finds (issue 11: FTS5 said "unterminated string")', () => {
    expect(hits('tile')).toHaveLength(3)
    expect(hits('tile\u0000')).toEqual(hits('tile'))
    expect(hits('"warm\u0000gray"')).toEqual(hits('"warm gray"'))
    expect(hits('gro\u0000*')).toEqual(hits('gro *'))
  })

  it('never throws and always answers a list of hits', () => {
    fc.assert(
      fc.property(searchInput, (q) => {
        const found = searchCache(store.db, ids.sam, q, 50)
        expect(Array.isArray(found)).toBe(true)
        for (const hit of found)
          expect(hit.snippet.every((p) => typeof p.text === 'string')).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('a control character or lone surrogate between words parts them as a space does', () => {
    fc.assert(
      fc.property(wordsSplitBy, ([words, separator]) => {
        expect(hits(words.join(separator))).toEqual(hits(words.join(' ')))
      }),
      { numRuns: 200 },
    )
  })
})
