import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { searchInput } from '../../tests/support/search-input'
import {
  isEmptySearch,
  parseSearch,
  searchableText,
  splitSnippet,
  toFtsMatch,
  SNIPPET_CLOSE,
  SNIPPET_OPEN,
} from './search-query'

describe('parseSearch', () => {
  it('reads words, phrases and prefixes', () => {
    const q = parseSearch('tile "warm gray" grou*')
    expect(q.terms).toEqual([
      { text: 'tile', prefix: false },
      { text: 'warm gray', prefix: false },
      { text: 'grou', prefix: true },
    ])
  })

  it('reads every operator into filters, quoted values included', () => {
    const q = parseSearch(
      'from:"Carla Mendes" project:maple before:2026-02-01 after:2026-01-01 has:attachment is:unread is:urgent leak',
    )
    expect(q).toMatchObject({
      from: ['Carla Mendes'],
      project: ['maple'],
      before: '2026-02-01',
      after: '2026-01-01',
      hasAttachment: true,
      isUnread: true,
      isUrgent: true,
    })
    expect(q.terms).toEqual([{ text: 'leak', prefix: false }])
  })

  it('treats unknown operators and impossible dates as words', () => {
    expect(parseSearch('color:blue').terms).toEqual([{ text: 'color:blue', prefix: false }])
    const q = parseSearch('before:2026-02-30')
    expect(q.before).toBeNull()
    expect(q.terms).toEqual([{ text: 'before:2026-02-30', prefix: false }])
  })

  it('drops tokens with nothing searchable and says an empty query is empty', () => {
    for (const input of ['', '   ', '"', '***', '( )', '-', '"""', ':::'])
      expect(isEmptySearch(parseSearch(input))).toBe(true)
    expect(isEmptySearch(parseSearch('is:urgent'))).toBe(false)
  })

  it('never throws, whatever the input', () => {
    const nasty = [
      '"unbalanced',
      'a" b "c',
      'NEAR(a b)',
      'a AND OR NOT b',
      '^start',
      'col:*',
      '\u0000\u0001',
      '🙂 emoji*',
      'x'.repeat(5000),
      '"'.repeat(999),
    ]
    for (const input of nasty) expect(() => toFtsMatch(parseSearch(input).terms)).not.toThrow()
  })
})

describe('searchableText', () => {
  it('turns control characters and lone surrogate halves into spaces, and keeps the rest', () => {
    expect(searchableText('tile\u0000')).toBe('tile ')
    expect(searchableText('a\u0001b\u007fc\u0085d\u009fe')).toBe('a b c d e')
    expect(searchableText('x\ud800y\udfffz')).toBe('x y z')
    expect(searchableText('🙂 é "q" *')).toBe('🙂 é "q" *')
  })

  it('cleans a surrogate pair the cut splits', () => {
    const cut = searchableText(`${'a'.repeat(499)}🙂`)
    expect(cut).toBe(`${'a'.repeat(499)} `)
  })
})

describe('toFtsMatch', () => {
  it('builds quoted terms only, free of control characters, whatever is typed', () => {
    const quotedTerms = /^"(?:[^"]|"")*"\*?(?: "(?:[^"]|"")*"\*?)*$/u
    fc.assert(
      fc.property(searchInput, (input) => {
        const match = toFtsMatch(parseSearch(input).terms)
        if (match === null) return
        expect(match).toMatch(quotedTerms)
        expect(match).not.toMatch(/[\p{Cc}\p{Cs}]/u)
      }),
      { numRuns: 1000 },
    )
  })

  it('cleans terms it is given directly, too', () => {
    expect(toFtsMatch([{ text: 'tile\u0000', prefix: false }])).toBe('"tile "')
  })

  it('quotes every term so FTS5 operators are searched as text', () => {
    expect(toFtsMatch(parseSearch('a AND b NEAR(c) col:d').terms)).toBe(
      '"a" "AND" "b" "NEAR(c)" "col:d"',
    )
    expect(toFtsMatch(parseSearch('pla*').terms)).toBe('"pla"*')
    expect(toFtsMatch([])).toBeNull()
  })

  it('escapes quotes inside a term', () => {
    expect(toFtsMatch([{ text: 'say "hi"', prefix: false }])).toBe('"say ""hi"""')
  })
})

describe('splitSnippet', () => {
  it('turns marks into parts without interpreting anything as markup', () => {
    expect(splitSnippet(`a ${SNIPPET_OPEN}<b>tile</b>${SNIPPET_CLOSE} z`)).toEqual([
      { text: 'a ', hit: false },
      { text: '<b>tile</b>', hit: true },
      { text: ' z', hit: false },
    ])
    expect(splitSnippet('plain')).toEqual([{ text: 'plain', hit: false }])
  })
})
