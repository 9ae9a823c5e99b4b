import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ErrorBodySchema } from '../../src/shared/protocol'
import { demoPdf, demoPng } from '../../server/src/demo/seed'
import { DEMO_PASSWORD, type Api } from '../support/api'
import { closeRawConnections, rawRequest, type RawRequest } from '../support/raw-http'
import {
  anyJson,
  invalid,
  minimal,
  valid,
  type JsonSchema,
  type ValuePools,
} from '../support/schema-arbitrary'
import { serverForFile } from '../support/file-server'

/**
 * The contract and the answers agree (issue 11, item 9), checked the way schemathesis does it,
 * inside the project: the OpenAPI document the real server publishes drives fast-check to build
 * requests for every operation (ids that exist and garbage in the path; query and JSON bodies
 * valid by the operation's schema, broken in one place, or not JSON at all; wrong content types;
 * uploads well and badly formed; callers signed in, anonymous, forged, by cookie with and without
 * the portal page's header). Every answer must be below 500, listed in the document for its
 * operation, and every error must have the `{ error: { code, message } }` body.
 *
 * The server is this file's own, on demo data. Operations run in an order that keeps the
 * fuzzer's own callers working as long as possible: admin writes (which may turn off a
 * customer's access or the company's messages) come late, what ends sessions (a password change,
 * an admin's "sign out everywhere") last, and sign-out is never sent with a session the fuzzer
 * still needs.
 */

interface Operation {
  method: string
  /** The path template, as /api/v1/threads/{threadId}. */
  path: string
  parameters: { in: 'path' | 'query'; name: string; required?: boolean; schema: JsonSchema }[]
  body?: { required: boolean; content: Record<string, { schema: JsonSchema }> }
  statuses: Set<string>
  /** The JSON schema documented for each error status. */
  errorSchemas: [string, unknown][]
  /** What the document says a JSON answer of each status holds, to check the answers against. */
  answerSchemas: Map<number, z.ZodType>
  security?: unknown[]
}

type Caller = 'staff' | 'customer' | 'admin' | 'anonymous' | 'forged' | 'web' | 'webNoHeader'

const portal = serverForFile({
  people: { staff: 'staff@demo.test', customer: 'customer@demo.test', admin: 'admin@demo.test' },
})
let operations: Operation[]
/** Values for fuzzing: ids that exist, ids of the wrong kind, ids of nothing. */
let pools: ValuePools
/** Values for well-formed requests: ids of the right kind that exist, client ids never used. */
let existing: ValuePools
let headersOf: Record<Exclude<Caller, 'forged'>, Record<string, string>>

beforeAll(async () => {
  const { staff, customer, admin, dir } = portal
  const webSignIn = await fetch(`${portal.server.url}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-portal-client': 'web' },
    body: JSON.stringify({ email: 'customer3@demo.test', password: DEMO_PASSWORD }),
  })
  const cookie = (webSignIn.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  expect(cookie).toMatch(/^portal_session=.+/)
  const bearer = (api: Api) => ({ authorization: `Bearer ${api.token}` })
  headersOf = {
    staff: bearer(staff),
    customer: bearer(customer),
    admin: bearer(admin),
    anonymous: {},
    web: { cookie, 'x-portal-client': 'web' },
    webNoHeader: { cookie },
  }

  const ids = await demoIds(admin, staff)
  const anyId = fc.constantFrom(...Object.values(ids).flat())
  // A few client ids come back again, so replays (200) and conflicts (409) are met too.
  const clientIds = fc.oneof(fc.uuid(), fc.constantFrom(...Array.from({ length: 3 }, randomUUID)))
  const kindOf = (field: string | undefined) =>
    idKinds.find(([pattern]) => pattern.test(field ?? ''))?.[1]
  const newEmail = fc.stringMatching(/^[a-z][a-z0-9]{0,11}@[a-z]{2,10}\.test$/)
  pools = {
    uuid: (field) => {
      const kind = kindOf(field)
      if (kind === 'client') return clientIds
      const own = kind ? ids[kind] : []
      return fc.oneof(
        ...(own.length ? [{ weight: 6, arbitrary: fc.constantFrom(...own) }] : []),
        anyId,
        fc.uuid(),
      )
    },
    email: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...dir.people.map((p) => p.email)) },
      newEmail,
      fc.emailAddress(),
    ),
    dateTime: fc
      .date({ min: new Date('2020-01-01Z'), max: new Date('2030-12-31Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    // The demo password lets sign-in succeed now and then; a time zone makes business hours valid.
    words: [DEMO_PASSWORD, 'tile', 'Maple Street', 'is:urgent', 'Europe/Berlin', 'UTC'],
  }
  existing = {
    ...pools,
    // A password change succeeds only with the current password: one word in six, drawn one time
    // in two, left it to fail in a good third of runs (after admin writes end some callers'
    // sessions, only about one request in thirty could succeed).
    wordsFor: (field) => (field === 'currentPassword' ? [DEMO_PASSWORD] : undefined),
    uuid: (field) => {
      const kind = kindOf(field)
      if (kind === 'client' || !kind) return fc.uuid()
      return ids[kind].length ? fc.constantFrom(...ids[kind]) : fc.uuid()
    },
    email: newEmail,
  }

  const res = await fetch(`${portal.server.url}/api/v1/openapi.json`)
  expect(res.status).toBe(200)
  operations = readOperations((await res.json()) as OpenApiDoc)
}, 90_000)

afterAll(() => closeRawConnections())

type IdKind = 'person' | 'project' | 'thread' | 'message' | 'attachment'
/** Which ids a field or parameter takes, by its name; the rest draw from every id. */
const idKinds: [RegExp, IdKind | 'client'][] = [
  [/^clientId$/, 'client'],
  [/thread/i, 'thread'],
  [/project/i, 'project'],
  [/message/i, 'message'],
  [/attachment/i, 'attachment'],
  [/user|person|participant|assignee|customer|team/i, 'person'],
]

/** Every id of the demo company an admin or Sam can see: people, projects, threads, messages, files. */
async function demoIds(admin: Api, staff: Api): Promise<Record<IdKind, string[]>> {
  const { dir } = portal
  const threads = (await admin.get('/threads?limit=200')).body.threads as { id: string }[]
  const ids: Record<IdKind, string[]> = {
    person: dir.people.map((p) => p.id),
    project: dir.projects.map((p) => p.id),
    thread: threads.map((t) => t.id),
    message: [],
    attachment: [],
  }
  for (const t of threads) {
    const page = (await admin.get(`/threads/${t.id}/messages`)).body.messages as {
      id: string
      attachments: { id: string }[]
    }[]
    for (const m of page) {
      ids.message.push(m.id)
      ids.attachment.push(...m.attachments.map((a) => a.id))
    }
  }
  // An upload of Sam's not yet on a message: downloadable by him only.
  const upload = await staff.upload(dir.project('Maple'), 'fuzz-swatch.png', demoPng([1, 2, 3]))
  expect(upload.status).toBe(201)
  ids.attachment.push(upload.body.attachment.id as string)
  return ids
}

// ---- reading the document ----

interface OpenApiDoc {
  paths: Record<string, Record<string, Record<string, unknown>>>
}

function readOperations(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = []
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods))
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []) as Operation['parameters'],
        body: op.requestBody as Operation['body'],
        statuses: new Set(Object.keys(op.responses as object)),
        errorSchemas: Object.entries(responsesOf(op))
          .filter(([status]) => Number(status) >= 400)
          .map(([status, r]) => [status, r.content?.['application/json']?.schema]),
        answerSchemas: new Map(
          Object.entries(responsesOf(op)).flatMap(([status, r]) => {
            const schema = r.content?.['application/json']?.schema
            return schema
              ? [[Number(status), z.fromJSONSchema(schema, { defaultTarget: 'openapi-3.0' })]]
              : []
          }),
        ),
        security: op.security as unknown[] | undefined,
      })
  // What ends sessions goes after everything else, so the fuzzer's own callers stay signed in as
  // long as they can: an admin's change of someone's email or access, then a password change (the
  // caller's other sessions), then "sign out everywhere" (all of a person's).
  const endsSessions = [
    'PATCH /api/v1/admin/people/{personId}',
    'POST /api/v1/me/password',
    'POST /api/v1/admin/people/{personId}/sign-out',
  ]
  const rank = (op: Operation) => {
    const ending = endsSessions.indexOf(`${op.method} ${op.path}`)
    if (ending >= 0) return 3 + ending
    return op.path.startsWith('/api/v1/admin/') ? (op.method === 'GET' ? 1 : 2) : 0
  }
  return ops.sort((a, b) => rank(a) - rank(b))
}

const responsesOf = (op: Record<string, unknown>) =>
  op.responses as Record<
    string,
    { content?: Record<string, { schema: z.core.JSONSchema.JSONSchema }> }
  >

const name = (op: Operation) => `${op.method} ${op.path}`

/** The error body as the document must state it: ErrorBodySchema, with the closed list of codes. */
const errorShape = expect.objectContaining({
  type: 'object',
  required: ['error'],
  properties: {
    error: expect.objectContaining({
      required: ['code', 'message'],
      properties: expect.objectContaining({
        code: expect.objectContaining({
          enum: expect.arrayContaining(['URI_TOO_LONG', 'INTERNAL']),
        }),
      }),
    }),
  },
})

// ---- building requests ----

const percent = (bytes: Uint8Array) =>
  [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')
/** Percent-encodes all but the unreserved characters, as UTF-8 (a lone surrogate as U+FFFD). */
const encode = (text: string) =>
  [...text]
    .map((c) => (/^[A-Za-z0-9\-_.~]$/.test(c) ? c : percent(new TextEncoder().encode(c))))
    .join('')
const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))

/** Path segments no id looks like, some of them already encoded (or broken) on purpose. */
const garbageSegment = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    'tile%00',
    '%',
    '%E0%A4%A',
    '%ZZ',
    '%2F',
    '%C0%AF',
    "1'%20OR%20'1'%3D'1",
    'null',
    '-1',
    '0',
    '00000000-0000-0000-0000-000000000000',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encode),
  // Either side of the router's 100-character limit for a path parameter.
  fc.integer({ min: 95, max: 400 }).map((n) => 'a'.repeat(n)),
  fc.uuid().map((u) => `${u.toUpperCase()}x`),
)

function pathFor(op: Operation, wellFormed: boolean): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'path')
  const segments = params.map((p) =>
    wellFormed
      ? existing.uuid(p.name)
      : fc.oneof(
          { weight: 5, arbitrary: pools.uuid(p.name).map(encode) },
          { weight: 2, arbitrary: garbageSegment },
        ),
  )
  return fc.tuple(...segments).map((values) => {
    let path = op.path
    params.forEach((p, i) => (path = path.replace(`{${p.name}}`, values[i] ?? '')))
    return path
  })
}

function queryFor(op: Operation, wellFormed: boolean): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query')
  const pairs = params.map((p) =>
    fc.option(
      (wellFormed
        ? valid(p.schema, existing, p.name)
        : fc.oneof(
            { weight: 6, arbitrary: valid(p.schema, pools, p.name) },
            invalid(p.schema, pools, p.name),
          )
      ).map((v) => `${p.name}=${encode(asText(v))}`),
      { nil: undefined, freq: 3 },
    ),
  )
  const odd = wellFormed
    ? fc.constant(undefined)
    : fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        fc.constantFrom('__proto__=1', 'constructor[prototype][x]=1', 'unknown=1', '&&', '=', '%'),
        // The same parameter twice arrives as an array.
        ...params.map((p) => fc.constant(`${p.name}=1&${p.name}=2`)),
      )
  return fc.tuple(fc.tuple(...pairs), odd).map(([values, extra]) => {
    const parts = [...values, extra].filter((v): v is string => v !== undefined)
    return parts.length ? `?${parts.join('&')}` : ''
  })
}

const wrongContentTypes = fc.constantFrom(
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'application/xml',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'invalid',
  ';;;',
)
const garbageText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  anyJson.map((v) => JSON.stringify(v).slice(0, 30)),
  fc.constantFrom('', '   ', '{', '{"a":', 'null', '[]', '{"__proto__":{"x":1}}', '\u0000'),
)

interface Body {
  contentType?: string
  body?: Buffer | string
}

const json = (v: unknown): Body => ({ contentType: 'application/json', body: JSON.stringify(v) })

/** A JSON body for the operation's schema: valid, broken in one place, not JSON, or too large. */
function jsonBodyFor(schema: JsonSchema): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 10, arbitrary: valid(schema, pools).map(json) },
    { weight: 6, arbitrary: invalid(schema, pools).map(json) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(wrongContentTypes, garbageText)
        .map(([contentType, body]) => ({ contentType, body })),
    },
    { weight: 2, arbitrary: fc.constant<Body>({}) },
    { weight: 1, arbitrary: fc.constant(json({ body: 'x'.repeat(600 * 1024) })) },
  )
}

const boundary = 'fuzzBoundary7MA4YWxkTrZu0gW'
function multipart(field: string, filename: string, bytes: Uint8Array, extraPart: boolean): Body {
  const part = (n: string) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${n}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(bytes),
      Buffer.from('\r\n'),
    ])
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([
      part(field),
      ...(extraPart ? [part('file')] : []),
      Buffer.from(`--${boundary}--\r\n`),
    ]),
  }
}

/** An upload: the right field or not, names people and attackers choose, real files and noise. */
const uploadBody: fc.Arbitrary<Body> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({
        field: fc.oneof(
          { weight: 5, arbitrary: fc.constant('file') },
          fc.constantFrom('upload', ''),
        ),
        filename: fc.oneof(
          fc.constantFrom(
            'tile.png',
            'plan.pdf',
            'notes.txt',
            'setup.exe',
            'invoice.pdf.exe',
            '../../etc/passwd.png',
            '',
            'é🙂.png',
            `${'x'.repeat(300)}.png`,
            'a\u202egnp.exe',
            'CON.png',
          ),
          fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `${s}.png`),
        ),
        bytes: fc.oneof(
          fc.constant(demoPng([200, 100, 50])),
          fc.constant(demoPdf('Fuzz plan')),
          fc.uint8Array({ maxLength: 2048 }),
          fc.constant(new Uint8Array()),
        ),
        extraPart: fc.boolean(),
        // Now and then the form is cut off, as by a dropped connection.
        cut: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, fc.nat({ max: 400 })),
      })
      .map(({ field, filename, bytes, extraPart, cut }) => {
        const body = multipart(field, filename, bytes, extraPart)
        return cut === undefined ? body : { ...body, body: (body.body as Buffer).subarray(0, cut) }
      }),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(wrongContentTypes, garbageText)
      .map(([contentType, body]) => ({ contentType, body })),
  },
  { weight: 1, arbitrary: fc.constant<Body>({}) },
)

/** A file the company allows, named as people name files. */
const goodUpload: fc.Arbitrary<Body> = fc
  .tuple(
    fc.constantFrom<[string, Uint8Array]>(
      ['swatch.png', demoPng([200, 100, 50])],
      ['plan.pdf', demoPdf('Fuzz plan')],
    ),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
  )
  .map(([[filename, bytes], prefix]) => multipart('file', `${prefix}${filename}`, bytes, false))

function bodyFor(op: Operation, wellFormed: boolean): fc.Arbitrary<Body> {
  const content = op.body?.content ?? {}
  const schema = content['application/json']?.schema
  if (schema)
    return wellFormed
      ? fc
          .oneof(valid(schema, existing), { weight: 2, arbitrary: minimal(schema, existing) })
          .map(json)
      : jsonBodyFor(schema)
  if (content['multipart/form-data']) return wellFormed ? goodUpload : uploadBody
  if (wellFormed) return fc.constant<Body>({})
  // No body documented: mostly none, sometimes one anyway (a GET's is ignored, a POST's parsed).
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant<Body>({}) },
    fc.constant<Body>({ contentType: 'application/json', body: '{}' }),
    fc.tuple(wrongContentTypes, garbageText).map(([contentType, body]) => ({ contentType, body })),
  )
}

const forgedAuthorization = fc.constantFrom(
  'Bearer forged-token',
  'Bearer ',
  'Basic YWRtaW46cG9ydGFsLWRlbW8=',
  'Bearer a b',
  `Bearer ${'x'.repeat(4000)}`,
  'bearer\tx',
)

function callerFor(op: Operation, wellFormed: boolean): fc.Arbitrary<Record<string, string>> {
  const as = (caller: Exclude<Caller, 'forged'>) => fc.constant(headersOf[caller])
  const forged = forgedAuthorization.map((authorization) => ({ authorization }))
  // Sign-out with a session the fuzzer relies on would end it for every later request.
  if (op.path === '/api/v1/auth/sign-out')
    return fc.oneof(as('anonymous'), forged, as('webNoHeader'))
  const admin = op.path.startsWith('/api/v1/admin/')
  if (wellFormed)
    return admin
      ? as('admin')
      : // Admins may do most, so the rarest successes (a new thread) still come often.
        fc.oneof(
          { weight: 2, arbitrary: as('staff') },
          { weight: 3, arbitrary: as('admin') },
          as('customer'),
          as('web'),
        )
  if (admin)
    return fc.oneof(
      { weight: 8, arbitrary: as('admin') },
      as('staff'),
      as('customer'),
      as('anonymous'),
      forged,
    )
  return fc.oneof(
    { weight: 4, arbitrary: as('staff') },
    { weight: 4, arbitrary: as('customer') },
    { weight: 2, arbitrary: as('admin') },
    as('anonymous'),
    forged,
    as('web'),
    as('webNoHeader'),
  )
}

/**
 * One request in two is well formed (a caller who may, ids of the right kind that exist, values
 * the schemas accept), so the handlers' own rules and writes are reached, not only validation.
 */
function requestFor(op: Operation): fc.Arbitrary<RawRequest> {
  return fc
    .boolean()
    .chain((wellFormed) =>
      fc.tuple(
        pathFor(op, wellFormed),
        queryFor(op, wellFormed),
        bodyFor(op, wellFormed),
        callerFor(op, wellFormed),
      ),
    )
    .map(([path, query, body, caller]) => ({
      method: op.method,
      path: `${path}${query}`,
      headers: { ...caller, ...(body.contentType && { 'content-type': body.contentType }) },
      ...(body.body !== undefined && { body: body.body }),
    }))
}

// ---- the property ----

const runsFor = (op: Operation) =>
  // Sign-in hashes every password it is given (scrypt): fewer runs keep the file fast.
  op.path === '/api/v1/auth/sign-in' || op.path === '/api/v1/auth/set-password' ? 20 : 60

/** Operations a fuzzer cannot make succeed, and why; every other one must answer 2xx at least once. */
const cannotSucceed: Record<string, string> = {
  'POST /api/v1/auth/sign-in':
    'needs a password no schema can tell (beforeAll and messaging.test.ts sign in for real)',
  'POST /api/v1/auth/set-password': 'needs the token of an invitation email',
  'POST /api/v1/auth/sign-out': 'is never sent with a session the fuzzer still needs',
  'POST /api/v1/inbound/mail':
    'replies by email are off on this server (tests/server/reply-by-email.test.ts posts mail for real)',
  'GET /api/v1/inbound/held':
    'replies by email are off on this server (reply-by-email.test.ts holds some)',
  'POST /api/v1/inbound/held/{heldId}/post': 'as above: no reply is ever held here',
  'POST /api/v1/inbound/held/{heldId}/discard': 'as above: no reply is ever held here',
  // issue 14: portal links
  'POST /api/v1/auth/sign-in-link/use': 'needs the token of a sign-in link email',
  'POST /api/v1/unsubscribe/{token}': 'needs the token of a message alert email',
}

describe('the OpenAPI document', () => {
  it('lists 500 on every operation, 401 and 403 where a session is needed, 400 where input is read, 414 where a path has an id, and 413, 415, 429 on every write; every error in our shape', () => {
    for (const op of operations) {
      const expected = ['500']
      if (op.security?.length) expected.push('401', '403')
      if (op.parameters.length || op.body || op.method !== 'GET') expected.push('400')
      if (op.path.includes('{')) expected.push('414')
      if (op.method !== 'GET') expected.push('413', '415', '429')
      expect([...op.statuses], name(op)).toEqual(expect.arrayContaining(expected))
      for (const [status, schema] of op.errorSchemas)
        expect(schema, `${name(op)} ${status}`).toEqual(errorShape)
    }
  })

  it('says which operations need no session: health, sign-in, accepting an invitation, asking for a reset link, the inbound mail webhook (its own secret), and the links in mail (sign-in link, unsubscribe)', () => {
    expect(
      operations
        .filter((op) => !op.security?.length)
        .map(name)
        .sort(),
    ).toEqual([
      'GET /api/v1/health',
      'POST /api/v1/auth/forgot-password',
      'POST /api/v1/auth/set-password',
      'POST /api/v1/auth/sign-in',
      // issue 14: portal links
      'POST /api/v1/auth/sign-in-link',
      'POST /api/v1/auth/sign-in-link/use',
      'POST /api/v1/inbound/mail',
      // issue 14: portal links
      'POST /api/v1/unsubscribe/{token}',
    ])
  })

  it('GET /attachments/{attachmentId}: the statuses the tester met (400, 401, 404) and a 200 of bytes', () => {
    const download = operations.find((op) => op.path === '/api/v1/attachments/{attachmentId}')
    expect([...(download?.statuses ?? [])].sort()).toEqual(
      ['200', '400', '401', '403', '404', '414', '500'].sort(),
    )
  })

  it('an id over 100 characters answers 414 URI_TOO_LONG in our shape, and a broken escape 400', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await rawRequest(portal.server.url, {
        method,
        path: `/api/v1/threads/${'a'.repeat(101)}${method === 'DELETE' ? `/participants/${randomUUID()}` : ''}`,
        headers: headersOf.staff,
      })
      expect(res.status, method).toBe(414)
      expect(ErrorBodySchema.parse(JSON.parse(res.body.toString())).error.code).toBe('URI_TOO_LONG')
    }
    const broken = await rawRequest(portal.server.url, {
      method: 'GET',
      path: '/api/v1/attachments/%E0%A4%A',
      headers: headersOf.staff,
    })
    expect(broken.status).toBe(400)
    expect(ErrorBodySchema.parse(JSON.parse(broken.body.toString())).error.code).toBe(
      'VALIDATION_FAILED',
    )
  })
})

describe('the OpenAPI document and the answers agree', () => {
  it('every operation, fuzzed: no 5xx, only documented statuses, every error in our shape', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(30)
    const seen = new Map<string, Map<number, number>>()
    let requests = 0
    const started = performance.now()

    for (const op of operations) {
      const statuses = new Map<number, number>()
      seen.set(name(op), statuses)
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (request) => {
          const res = await rawRequest(portal.server.url, request)
          requests++
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
          const text = res.body.toString('utf8')
          const context = `${request.method} ${request.path} (${request.headers?.['content-type'] ?? 'no body'}) -> ${res.status} ${text.slice(0, 300)}`
          expect(res.status, context).toBeLessThan(500)
          expect(op.statuses, `${name(op)} does not document ${res.status}: ${context}`).toContain(
            String(res.status),
          )
          if (res.status >= 400) {
            expect(res.headers['content-type'] ?? '', context).toMatch(/^application\/json/)
            expect(ErrorBodySchema.safeParse(JSON.parse(text)).success, context).toBe(true)
          }
          // Whatever JSON comes back holds what the document says it does, successes included.
          const documented = op.answerSchemas.get(res.status)
          if (documented && (res.headers['content-type'] ?? '').startsWith('application/json')) {
            const checked = documented.safeParse(JSON.parse(text))
            expect(checked.success, `${context}\n${checked.error?.message}`).toBe(true)
          }
        }),
        { numRuns: runsFor(op) },
      )
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    const summary = [...seen].map(
      ([op, s]) =>
        `${op}: ${[...s]
          .sort(([a], [b]) => a - b)
          .map(([status, n]) => `${status}×${n}`)
          .join(' ')}`,
    )
    console.info(
      `${requests} requests over ${operations.length} operations in ${seconds} s\n${summary.join('\n')}`,
    )

    // The fuzzer reaches the handlers, not only the validators.
    const neverSucceeded = [...seen]
      .filter(([op, s]) => !cannotSucceed[op] && ![...s.keys()].some((st) => st < 300))
      .map(([op]) => op)
    expect(neverSucceeded).toEqual([])
  }, 120_000)
})
