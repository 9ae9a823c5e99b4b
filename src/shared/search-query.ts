/**
 * The search language staff and customers type: words, "quoted phrases", prefix*, and the
 * operators from:, project:, before:, after:, has:attachment, is:unread, is:urgent.
 *
 * User input never reaches FTS5's MATCH raw: every term is re-quoted here, and the operators become
 * SQL filters. Both the portal server and the desktop engine parse with this one module.
 */

export interface SearchTerm {
  text: string
  /** A prefix term matches any word starting with text ("pla*" finds plans, placement). */
  prefix: boolean
}

export interface ParsedSearch {
  terms: SearchTerm[]
  from: string[]
  project: string[]
  /** Inclusive day bounds as YYYY-MM-DD (UTC). */
  before: string | null
  after: string | null
  hasAttachment: boolean
  isUnread: boolean
  isUrgent: boolean
}

const MAX_TERMS = 16
/** Longer input is cut here: a search box holds a few words, not a document. */
export const MAX_SEARCH_CHARS = 500
const tokenPattern = /(-?)(\w+:)?"([^"]*)"?|(\S+)/gu
// A term must hold a letter or digit, or FTS5's tokenizer turns it into nothing.
const wordish = /[\p{L}\p{N}]/u

function isValidDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
}

const withoutControls = (text: string) => text.replace(/[\p{Cc}\p{Cs}]/gu, ' ')

/**
 * What of the typed text the language reads: control characters (C0 with NUL, DEL, C1) and lone
 * halves of surrogate pairs become spaces. FTS5 reads a MATCH expression as a C string, so a NUL
 * ended it inside a quoted term ("unterminated string", a 500 on the server: issue 11); the
 * others are never part of a word, and a person who pasted one expects the words on either side
 * to be found. The cut comes first, so a pair split by it is cleaned too.
 */
export function searchableText(input: string): string {
  return withoutControls(input.slice(0, MAX_SEARCH_CHARS))
}

export function parseSearch(input: string): ParsedSearch {
  const parsed: ParsedSearch = {
    terms: [],
    from: [],
    project: [],
    before: null,
    after: null,
    hasAttachment: false,
    isUnread: false,
    isUrgent: false,
  }
  const addTerm = (text: string, prefix: boolean) => {
    const cleaned = text.replace(/"/g, ' ').replace(/\s+/g, ' ').trim()
    if (!wordish.test(cleaned) || parsed.terms.length >= MAX_TERMS) return
    parsed.terms.push({ text: cleaned, prefix: prefix && cleaned.length >= 2 })
  }

  for (const match of searchableText(input).matchAll(tokenPattern)) {
    const [, , quotedKey, quotedValue, bare] = match
    let key: string | null = null
    let value: string
    let quoted = false
    if (quotedValue !== undefined) {
      key = quotedKey ? quotedKey.slice(0, -1).toLowerCase() : null
      value = quotedValue
      quoted = true
    } else {
      const raw = bare ?? ''
      const colon = raw.indexOf(':')
      if (colon > 0 && colon < raw.length - 1) {
        key = raw.slice(0, colon).toLowerCase()
        value = raw.slice(colon + 1)
      } else {
        value = raw
      }
    }

    switch (key) {
      case 'from':
        if (value.trim()) parsed.from.push(value.trim())
        continue
      case 'project':
        if (value.trim()) parsed.project.push(value.trim())
        continue
      case 'before':
      case 'after':
        if (isValidDay(value)) {
          parsed[key] = value
          continue
        }
        break
      case 'has':
        if (value.toLowerCase() === 'attachment' || value.toLowerCase() === 'attachments') {
          parsed.hasAttachment = true
          continue
        }
        break
      case 'is':
        if (value.toLowerCase() === 'unread') {
          parsed.isUnread = true
          continue
        }
        if (value.toLowerCase() === 'urgent') {
          parsed.isUrgent = true
          continue
        }
        break
    }

    // Not an operator: the whole token is searched as text.
    const text = key && !quoted ? `${key}:${value}` : value
    if (quoted) addTerm(text, false)
    else if (text.endsWith('*')) addTerm(text.replace(/\*+$/, ''), true)
    else addTerm(text, false)
  }
  return parsed
}

/** True when the query asks for nothing at all; such a query returns no results rather than everything. */
export function isEmptySearch(q: ParsedSearch): boolean {
  return (
    q.terms.length === 0 &&
    q.from.length === 0 &&
    q.project.length === 0 &&
    !q.before &&
    !q.after &&
    !q.hasAttachment &&
    !q.isUnread &&
    !q.isUrgent
  )
}

/**
 * An FTS5 MATCH expression in which every term is a quoted string: no operator can be smuggled in.
 * Terms are cleaned again here, the last step before MATCH, for terms not made by parseSearch.
 */
export function toFtsMatch(terms: readonly SearchTerm[]): string | null {
  if (terms.length === 0) return null
  return terms
    .map((t) => `"${withoutControls(t.text).replace(/"/g, '""')}"${t.prefix ? '*' : ''}`)
    .join(' ')
}

/** Marks that FTS5's snippet() puts around hits; control characters a message body cannot hold. */
export const SNIPPET_OPEN = '\u0002'
export const SNIPPET_CLOSE = '\u0003'

/** Splits a marked snippet into parts, so a client renders highlights as elements and never as HTML. */
export function splitSnippet(marked: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = []
  const pattern = new RegExp(`${SNIPPET_OPEN}([^${SNIPPET_CLOSE}]*)${SNIPPET_CLOSE}`, 'g')
  let last = 0
  for (const m of marked.matchAll(pattern)) {
    if (m.index > last) parts.push({ text: marked.slice(last, m.index), hit: false })
    parts.push({ text: m[1] ?? '', hit: true })
    last = m.index + m[0].length
  }
  if (last < marked.length) parts.push({ text: marked.slice(last), hit: false })
  return parts
}
