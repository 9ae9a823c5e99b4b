/**
 * Deterministic synthetic text for the benchmark: message bodies whose word frequencies follow a
 * Zipf curve (a few very common words, a long tail), with planted query words of known frequency
 * so search latency can be measured per frequency class.
 */

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same corpus in every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Query words planted with a fixed probability per message, so each class has a known share of
 * the corpus. None of them occurs in the filler vocabulary.
 */
export const queryWords = {
  /**
   * One message in 50,000 each (20 in 1M, 2 in 100k): fewer hits than a result page, so a LIKE
   * query for the newest 50 has to read every message. Planted on a fixed schedule, not drawn.
   */
  rare: ['xylotile', 'quillwork', 'zephyrglass', 'oxbowtrim', 'quenchseal'],
  /** About 1% of messages each. */
  mid: ['quartzite', 'soffit', 'joist', 'backsplash', 'grout'],
  /** About 10% of messages each. */
  common: ['drywall', 'inspection', 'invoice'],
} as const
export type QueryClass = keyof typeof queryWords
export const classShare: Record<QueryClass, number> = { rare: 0.00002, mid: 0.01, common: 0.1 }
const RARE_EVERY = 10_000

// The head of the Zipf curve: everyday words of a builder's messages.
const head = `the to and we a for on is of you it in be will this that can with at are have our
 please thanks i your from as but by if or not so do when next week site all up about there what
 one out would should could need time get morning afternoon today tomorrow friday monday thursday
 tuesday wednesday schedule crew delivery quote change order kitchen bath window door floor wall
 roof deck permit plan plans photo attached confirm check update call price cost estimate contract
 tile cabinet counter paint color sample install installed framing electrical plumbing panel
 outlet light fixture sink faucet shower tub vanity mirror trim baseboard stairs railing porch
 garage driveway concrete foundation basement attic insulation siding gutter furnace heat pump
 water heater ductwork vent fan appliance fridge oven range dishwasher hood lumber nails screws
 beam header stud sheathing membrane flashing caulk sealant primer stain finish hardware hinge
 handle knob lock key crew lead super inspector architect engineer designer supplier warehouse
 truck pallet ready done started finished waiting delayed moved ordered shipped arrived missing
 damaged replaced fixed measured approved signed sent received paid balance deposit draw final`
  .split(/\s+/)
  .filter(Boolean)

const syllables =
  'ba be bi bo bu da de di do du fa fe fi fo fu ga ge gi go gu ha he hi ho hu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu wa we wi wo ya yo'.split(
    ' ',
  )

/** Filler vocabulary: the head words, then pseudo-words (no q, x or z, so no query word can appear). */
function vocabulary(size: number): string[] {
  const random = rng(7)
  const words = [...new Set(head)]
  const seen = new Set(words)
  const banned = new Set<string>(Object.values(queryWords).flat())
  while (words.length < size) {
    const n = 2 + Math.floor(random() * 3)
    let w = ''
    for (let i = 0; i < n; i++) w += syllables[Math.floor(random() * syllables.length)]
    if (!seen.has(w) && !banned.has(w)) {
      seen.add(w)
      words.push(w)
    }
  }
  return words
}

const firstNames =
  'Ada Sam Tess Carla Chris Ben Erin Nora Sid Pat Alex Jordan Casey Riley Morgan Taylor Jamie Avery Quinn Parker Drew Robin Sky Logan Reese Blake Cameron Dana Emery Finley'.split(
    ' ',
  )
const lastNames =
  'Rivera Nguyen Mendes Okafor Walsh Lindqvist Sparks Plumb Garcia Smith Chen Patel Kim Novak Rossi Dubois Muller Silva Costa Haddad Tanaka Ivanova Larsen Keane Moreau'.split(
    ' ',
  )
const streets =
  'Maple Oak Birch Cedar Elm Pine Aspen Willow Spruce Alder Hickory Juniper Laurel Magnolia Poplar Sycamore Walnut Chestnut Cypress Redwood'.split(
    ' ',
  )
const kinds =
  'Remodel,New Build,Addition,Kitchen,Deck,Basement Finish,Bath Refresh,Roof Replacement'.split(',')

export interface TextSource {
  body(): string
  subject(): string
  person(i: number): string
  project(i: number): string
}

/**
 * A text source over a seeded PRNG. Word choice is an inverse-CDF lookup in the Zipf weights
 * (binary search), fast enough for a million bodies in a couple of seconds.
 */
export function textSource(seed: number, vocabSize = 30_000): TextSource {
  const random = rng(seed)
  const words = vocabulary(vocabSize)
  const cdf = new Float64Array(words.length)
  let sum = 0
  for (let i = 0; i < words.length; i++) {
    sum += 1 / Math.pow(i + 1, 1.05)
    cdf[i] = sum
  }
  const word = () => {
    const x = random() * sum
    let lo = 0
    let hi = cdf.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((cdf[mid] as number) < x) lo = mid + 1
      else hi = mid
    }
    return words[lo] as string
  }
  const planted = (['mid', 'common'] as const).flatMap((cls) =>
    queryWords[cls].map((w) => ({ w, p: classShare[cls] })),
  )
  let count = 0
  return {
    body() {
      const n = 8 + Math.floor(random() * 33)
      const out: string[] = []
      for (let i = 0; i < n; i++) out.push(word())
      const insert = (w: string) => out.splice(Math.floor(random() * (out.length + 1)), 0, w)
      for (const { w, p } of planted) if (random() < p) insert(w)
      // The rare words take turns, one of them every 10,000th message (from the 5,000th on).
      if (++count % RARE_EVERY === RARE_EVERY / 2)
        insert(queryWords.rare[Math.floor(count / RARE_EVERY) % queryWords.rare.length]!)
      const first = out[0] ?? 'ok'
      out[0] = first[0]!.toUpperCase() + first.slice(1)
      return `${out.join(' ')}.`
    },
    subject() {
      const n = 3 + Math.floor(random() * 4)
      const out: string[] = []
      for (let i = 0; i < n; i++) out.push(word())
      const s = out.join(' ')
      return s[0]!.toUpperCase() + s.slice(1)
    },
    person: (i) =>
      `${firstNames[i % firstNames.length]} ${lastNames[Math.floor(i / firstNames.length) % lastNames.length]}${i >= firstNames.length * lastNames.length ? ` ${i}` : ''}`,
    project: (i) =>
      `${streets[i % streets.length]} ${['Street', 'Lane', 'Court', 'Avenue', 'Road'][Math.floor(i / streets.length) % 5]} ${kinds[i % kinds.length]}${i >= streets.length * 5 ? ` ${i}` : ''}`,
  }
}
