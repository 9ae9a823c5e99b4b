import fc from 'fast-check'

/**
 * What people (and testers) type into a search box, for property tests of the search language on
 * both sides: our operators, FTS5's own syntax (which must be searched as text, never obeyed),
 * words the demo data and the cache fixtures hold, and the characters that break C-string or
 * UTF-8 handling.
 */

const syntax = [
  'from:',
  'project:',
  'before:',
  'after:',
  'has:attachment',
  'has:attachments',
  'is:unread',
  'is:urgent',
  'is:',
  'subject:',
  'body:',
  'sender:',
  '{subject body}:',
  '"',
  '""',
  '*',
  '(',
  ')',
  'NEAR',
  'NEAR(',
  'NEAR/2',
  'AND',
  'OR',
  'NOT',
  '^',
  '-',
  '+',
  ':',
  ',',
  "'",
  '\\',
  '%',
  '_',
  '2026-01-06',
  '2026-02-30',
  '9999-99-99',
]
const words = ['tile', 'grout', 'window', 'leak', 'Carla', 'Sam Rivera', 'oak', 'maple', 'pla', 'é']

/** NUL and the other C0 controls, DEL, C1, lone surrogate halves, BOM, noncharacters, bidi and line separators. */
export const hostileChars = [
  '\u0000',
  '\u0001',
  '\u0002',
  '\u0003',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009f',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\u202e',
  '\u2028',
  '\u00a0',
]

/** Any UTF-16 code unit, lone surrogate halves included: what a JS string can hold. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n))

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...syntax) },
  { weight: 4, arbitrary: fc.constantFrom(...words) },
  { weight: 3, arbitrary: fc.constantFrom(...hostileChars) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: codeUnit, maxLength: 4 }) },
)

/** A query built from the language's pieces, glued together or spaced. */
const composed = fc
  .tuple(fc.array(piece, { maxLength: 16 }), fc.constantFrom('', ' ', '  '))
  .map(([pieces, glue]) => pieces.join(glue))

export const searchInput: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: composed },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 40 }) },
  // Around the length where input is cut, so a surrogate pair can be split by the cut.
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 240, maxLength: 260 }) },
)

/**
 * Words the fixtures hold and a character that must part them as a space does: a control
 * character, a lone surrogate half or other whitespace. (A bidi mark or noncharacter is not one:
 * FTS5 reads "tile\u202egrout" as the phrase "tile grout", which is stricter than two words.)
 */
export const wordsSplitBy = fc.tuple(
  fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }),
  fc.constantFrom(...hostileChars.filter((c) => /[\p{Cc}\p{Cs}\s]/u.test(c))),
)
