import fc from 'fast-check'

/**
 * fast-check arbitraries from the JSON schemas of an OpenAPI document, as schemathesis draws
 * requests: values that match the schema (so requests get past validation and reach the rules
 * and the database) and values that break it in one place (so every refusal is exercised).
 * It reads the subset @fastify/swagger emits from our zod schemas and refuses anything else, so a
 * schema it does not understand fails the test instead of being fuzzed with nonsense.
 */

export interface JsonSchema {
  type?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean
  items?: JsonSchema
  enum?: unknown[]
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  minItems?: number
  maxItems?: number
  nullable?: boolean
  default?: unknown
  description?: string
}

const understood = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'nullable',
  'default',
  'description',
])

/** Where values of a format come from: the ids and emails that exist make requests reach real rows. */
export interface ValuePools {
  /** Ids for a field or parameter of this name (threadId, attachmentIds, …). */
  uuid: (name: string | undefined) => fc.Arbitrary<string>
  email: fc.Arbitrary<string>
  /** Timestamps as the API writes them. */
  dateTime: fc.Arbitrary<string>
  /** Words the data holds (a name, the demo password), drawn for free text besides random text. */
  words: readonly string[]
  /** Words for a field of this name instead, where only a few values can pass (a current password). */
  wordsFor?: (name: string | undefined) => readonly string[] | undefined
}

function checkUnderstood(schema: JsonSchema): void {
  const unknown = Object.keys(schema).filter((k) => !understood.has(k))
  if (unknown.length)
    throw new Error(
      `schema-arbitrary does not read ${unknown.join(', ')}: ${JSON.stringify(schema)}`,
    )
}

/** Text people type, with the characters that break naive handling mixed in. */
const text = (minLength = 0, maxLength = 40) =>
  fc.oneof(
    fc.string({ minLength, maxLength: Math.min(maxLength, 40) }),
    fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, 20) }),
    fc.string({ unit: 'binary', minLength, maxLength: Math.min(maxLength, 20) }),
  )

function stringOf(
  schema: JsonSchema,
  pools: ValuePools,
  name: string | undefined,
): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return pools.uuid(name)
  if (schema.format === 'email') return pools.email
  if (schema.format === 'date-time') return pools.dateTime
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern))
  const min = schema.minLength ?? 0
  const max = schema.maxLength ?? 40
  const words = pools.wordsFor?.(name) ?? pools.words
  const fitting = words.filter((w) => w.length >= min && w.length <= max)
  return fitting.length ? fc.oneof(text(min, max), fc.constantFrom(...fitting)) : text(min, max)
}

/**
 * A value the schema accepts (as far as JSON schema can say: zod refinements may still refuse it).
 * `name` is the field or parameter the value is for; an array's items take the array's name.
 */
export function valid(schema: JsonSchema, pools: ValuePools, name?: string): fc.Arbitrary<unknown> {
  return validValue(schema, pools, name, false)
}

/**
 * A value the schema accepts with only the fields it requires (or, where none is, one field: a
 * patch must change something), the likeliest to pass every rule.
 */
export function minimal(schema: JsonSchema, pools: ValuePools): fc.Arbitrary<unknown> {
  return validValue(schema, pools, undefined, true)
}

function validValue(
  schema: JsonSchema,
  pools: ValuePools,
  name: string | undefined,
  requiredOnly: boolean,
): fc.Arbitrary<unknown> {
  checkUnderstood(schema)
  const value = ((): fc.Arbitrary<unknown> => {
    if (schema.enum) return fc.constantFrom(...schema.enum)
    switch (schema.type) {
      case 'string':
        return stringOf(schema, pools, name)
      case 'integer':
        return fc.integer({
          min: schema.minimum ?? -1_000_000,
          max: Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER),
        })
      case 'number':
        return fc.double({
          min: schema.minimum ?? -1e6,
          max: schema.maximum ?? 1e6,
          noNaN: true,
        })
      case 'boolean':
        return fc.boolean()
      case 'array':
        if (!schema.items) throw new Error(`array without items: ${JSON.stringify(schema)}`)
        return fc.array(valid(schema.items, pools, name), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 5, 5),
        })
      case 'object': {
        const required = new Set(schema.required ?? [])
        const all = Object.entries(schema.properties ?? {})
        if (requiredOnly && required.size === 0 && all.length)
          return fc
            .constantFrom(...all)
            .chain(([k, s]) => valid(s, pools, k).map((v) => ({ [k]: v })))
        const properties = all.filter(([k]) => !requiredOnly || required.has(k))
        const model = Object.fromEntries(properties.map(([k, s]) => [k, valid(s, pools, k)]))
        return fc.record(model, { requiredKeys: Object.keys(model).filter((k) => required.has(k)) })
      }
      default:
        throw new Error(`schema-arbitrary does not read type ${schema.type}`)
    }
  })()
  return schema.nullable ? fc.oneof({ weight: 4, arbitrary: value }, fc.constant(null)) : value
}

/** Any JSON value at all: what a confused or hostile client sends. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 })

/** A value of the wrong kind for the schema, or just outside its bounds. */
export function invalid(
  schema: JsonSchema,
  pools: ValuePools,
  name?: string,
): fc.Arbitrary<unknown> {
  checkUnderstood(schema)
  const wrongKind = anyJson.filter((v) => kindOf(v) !== schema.type)
  const outOfBounds: fc.Arbitrary<unknown>[] = []
  if (schema.type === 'string') {
    if (schema.maxLength !== undefined)
      outOfBounds.push(fc.constant('x'.repeat(schema.maxLength + 1)))
    if (schema.minLength) outOfBounds.push(fc.constant(''))
    if (schema.format || schema.pattern || schema.enum)
      outOfBounds.push(text(1, 40), fc.constantFrom('', ' ', '..', '\u0000', 'null'))
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    if (schema.maximum !== undefined) outOfBounds.push(fc.constant(schema.maximum + 1))
    if (schema.minimum !== undefined) outOfBounds.push(fc.constant(schema.minimum - 1))
    if (schema.type === 'integer') outOfBounds.push(fc.constant(1.5))
    outOfBounds.push(fc.constantFrom(1e308, -0, 2 ** 53 + 2))
  }
  if (schema.type === 'array' && schema.items) {
    outOfBounds.push(fc.array(invalid(schema.items, pools, name), { minLength: 1, maxLength: 3 }))
    if (schema.minItems) outOfBounds.push(fc.constant([]))
  }
  if (schema.type === 'object') {
    const properties = schema.properties ?? {}
    const keys = Object.keys(properties)
    const base = valid(schema, pools, name) as fc.Arbitrary<Record<string, unknown>>
    // One field broken, one required field missing, or one field no schema knows.
    if (keys.length)
      outOfBounds.push(
        fc
          .tuple(base, fc.constantFrom(...keys))
          .chain(([obj, key]) =>
            invalid(properties[key] ?? {}, pools, key).map((bad) => ({ ...obj, [key]: bad })),
          ),
      )
    for (const key of schema.required ?? [])
      outOfBounds.push(
        base.map((obj) => Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key))),
      )
    if (schema.additionalProperties === false)
      outOfBounds.push(
        fc
          .tuple(base, fc.constantFrom('__proto__', 'constructor', 'extra', ''), anyJson)
          .map(([obj, key, v]) => ({ ...obj, [key]: v })),
      )
  }
  return outOfBounds.length ? fc.oneof(wrongKind, ...outOfBounds) : wrongKind
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}
