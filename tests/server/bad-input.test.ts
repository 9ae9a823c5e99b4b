import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  AttachmentUpload,
  ErrorBodySchema,
  Health,
  MessagePage,
  SearchResult,
  Session,
  ThreadList,
  ThreadWithMessage,
  statusOf,
  type ErrorCode,
} from '../../src/shared/protocol'
import { demoPdf, demoPng } from '../../server/src/demo/seed'
import { Api, type ApiResponse } from '../support/api'
import { serverForFile } from '../support/file-server'

/**
 * Bad input, end to end against the real server process: every refusal is a 4xx with the
 * `{ error: { code, message } }` body and the specific code from the closed list, nothing is a
 * 5xx, the server stays up, and no refused upload leaves a byte in storage.
 */

const portal = serverForFile({
  people: {
    admin: 'admin@demo.test',
    staff: 'staff@demo.test',
    carla: 'customer@demo.test',
    ben: 'customer2@demo.test',
    /** Customer on Cedar Court, a project in the lead stage, where the portal is closed. */
    erin: 'customer4@demo.test',
  },
})
const anon = () => new Api(portal.server.url)

/** Ids the cases need, filled in once the demo company is up. */
interface Ctx {
  maple: string
  oak: string
  cedar: string
  carlaId: string
  benId: string
  /** A thread Carla started in Maple Street; Sam is on that project's team. */
  threadId: string
  messageId: string
  /** Sam's upload in Maple Street, not yet attached to any message. */
  samMapleFile: string
  /** Sam's upload in Oak Ridge, not yet attached. */
  samOakFile: string
  /** A seeded attachment already on one of Carla's messages. */
  attachedFile: string
}
const ctx = {} as Ctx

/** Files under <data>/attachments (including .incoming) once setup's own uploads are stored. */
let baselineFiles = 0
/** Uploads this suite expects the server to accept after the baseline; each leaves one file. */
let acceptedUploads = 0

async function countFiles(dir: string): Promise<number> {
  let n = 0
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += await countFiles(path.join(dir, entry.name))
    else n++
  }
  return n
}
const attachmentsDir = () => path.join(portal.server.dataDir, 'attachments')

beforeAll(async () => {
  const { dir } = portal
  ctx.maple = dir.project('Maple')
  ctx.oak = dir.project('Oak')
  ctx.cedar = dir.project('Cedar')
  ctx.carlaId = dir.person('customer@demo.test')
  ctx.benId = dir.person('customer2@demo.test')

  const created = await portal.carla.post('/threads', {
    clientId: randomUUID(),
    projectId: ctx.maple,
    subject: 'Bad input target',
    body: 'A thread for the bad-input suite to poke at.',
  })
  expect(created.status).toBe(201)
  const { thread, message } = ThreadWithMessage.parse(created.body)
  ctx.threadId = thread.id
  ctx.messageId = message.id

  const up1 = await portal.staff.upload(ctx.maple, 'swatch.png', demoPng([10, 20, 30]))
  expect(up1.status).toBe(201)
  ctx.samMapleFile = AttachmentUpload.parse(up1.body).attachment.id
  const up2 = await portal.staff.upload(ctx.oak, 'oak-plan.pdf', demoPdf('Oak Ridge plan'))
  expect(up2.status).toBe(201)
  ctx.samOakFile = AttachmentUpload.parse(up2.body).attachment.id

  const tile = ThreadList.parse((await portal.carla.get('/threads?limit=200')).body).threads.find(
    (t) => t.subject.startsWith('Tile selection'),
  )
  if (!tile) throw new Error('no seeded tile thread')
  const page = MessagePage.parse((await portal.carla.get(`/threads/${tile.id}/messages`)).body)
  const attached = page.messages.flatMap((m) => m.attachments)[0]
  if (!attached) throw new Error('no seeded attachment')
  ctx.attachedFile = attached.id

  baselineFiles = await countFiles(attachmentsDir())
})

// ---- the shape every refusal must have ----

function expectSentence(message: string): void {
  expect(message.trim().length).toBeGreaterThan(0)
  // At least two words, and no internals (stack frames, "[object Object]", SQL or fs errors).
  expect(message).toMatch(/\p{L}+[\s\S]*\s[\s\S]*\p{L}+/u)
  expect(message).not.toMatch(/\n\s+at |\[object |SQLITE|ENOENT|Dicer|busboy/)
}

function expectError(res: ApiResponse, status: number, code: ErrorCode): void {
  const context = `${res.status} ${JSON.stringify(res.body)?.slice(0, 400)}`
  expect(status, 'the table itself must agree with errors.ts').toBe(statusOf(code))
  expect(res.status, context).toBe(status)
  expect(res.status).toBeGreaterThanOrEqual(400)
  expect(res.status).toBeLessThan(500)
  const parsed = ErrorBodySchema.safeParse(res.body)
  expect(parsed.success, `error body: ${context}`).toBe(true)
  if (!parsed.success) return
  expect(parsed.data.error.code, context).toBe(code)
  expectSentence(parsed.data.error.message)
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/)
}

// ---- table-driven request cases ----

type Who = 'none' | 'admin' | 'staff' | 'carla' | 'ben' | 'erin'
type Lazy<T> = T | ((c: Ctx) => T)
const lazy = <T>(v: Lazy<T>): T => (typeof v === 'function' ? (v as (c: Ctx) => T)(ctx) : v)

interface Case {
  name: string
  /** Who sends it; staff (Sam) unless told. */
  who?: Who
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: Lazy<string>
  /** Sent as JSON. */
  json?: Lazy<unknown>
  /** Sent as is, with `contentType`. */
  raw?: Lazy<string | Buffer>
  contentType?: string
  headers?: Record<string, string>
  status: number
  code: ErrorCode
}

const apiFor = (who: Who): Api => (who === 'none' ? anon() : portal[who])

async function send(c: Case): Promise<ApiResponse> {
  const api = apiFor(c.who ?? 'staff')
  const headers: Record<string, string> = { ...c.headers }
  if (c.contentType) headers['content-type'] = c.contentType
  if (c.json !== undefined) return api.request(c.method, lazy(c.path), lazy(c.json), { headers })
  return api.request(c.method, lazy(c.path), undefined, {
    headers,
    ...(c.raw !== undefined && { raw: lazy(c.raw) }),
  })
}

type Row = Omit<Case, 'method' | 'path' | 'status' | 'code'> &
  Partial<Pick<Case, 'method' | 'path' | 'status' | 'code'>>
/** A table of cases sharing a route: `defaults` fill in what a row leaves out, `prefix` names the group. */
const group = (prefix: string, defaults: Partial<Case>, rows: Row[]): Case[] =>
  rows.map((r) => ({ ...defaults, ...r, name: prefix ? `${prefix}: ${r.name}` : r.name }) as Case)

const runCase = async (c: Case) => expectError(await send(c), c.status, c.code)

const JSON_CT = 'application/json'
const uuid = () => randomUUID()
const draft = (extra: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  body: 'Hello from the bad-input suite.',
  ...extra,
})
const newThread = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  projectId: c.maple,
  subject: 'A subject',
  body: 'A body.',
  ...extra,
})
const without = <T extends Record<string, unknown>>(o: T, key: keyof T) => {
  const copy = { ...o }
  delete copy[key]
  return copy
}
const signInBody = { email: 'admin@demo.test', password: 'portal-demo' }

const malformedJson: Case[] = [
  {
    name: 'sign-in: truncated JSON',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: '{"email":"admin@demo.test","pass',
    contentType: JSON_CT,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'sign-in: trailing comma',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: '{"email":"admin@demo.test","password":"portal-demo",}',
    contentType: JSON_CT,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'sign-in: single-quoted keys',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: "{'email':'admin@demo.test','password':'portal-demo'}",
    contentType: JSON_CT,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'sign-in: empty body with a JSON content type',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: '',
    contentType: JSON_CT,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'sign-in: whitespace-only body with a JSON content type',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: '   \n  ',
    contentType: JSON_CT,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'sign-in: JSON array, not an object',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: '["admin@demo.test","portal-demo"]',
    contentType: JSON_CT,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'sign-in: JSON string, not an object',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: '"admin@demo.test"',
    contentType: JSON_CT,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'sign-in: JSON null',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: 'null',
    contentType: JSON_CT,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'sign-in: JSON number',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: '42',
    contentType: JSON_CT,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'sign-in: JSON text sent as text/plain',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: JSON.stringify(signInBody),
    contentType: 'text/plain',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'sign-in: form-urlencoded',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: 'email=admin%40demo.test&password=portal-demo',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'sign-in: XML',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: '<signIn><email>admin@demo.test</email></signIn>',
    contentType: 'application/xml',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'sign-in: __proto__ key (prototype poisoning)',
    who: 'none',
    method: 'POST',
    path: '/auth/sign-in',
    raw: '{"email":"admin@demo.test","password":"portal-demo","__proto__":{"role":"admin"}}',
    contentType: JSON_CT,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'new thread: truncated JSON',
    method: 'POST',
    path: '/threads',
    raw: (c) => JSON.stringify(newThread(c)).slice(0, 40),
    contentType: JSON_CT,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'new thread: JSON sent as text/plain',
    method: 'POST',
    path: '/threads',
    raw: (c) => JSON.stringify(newThread(c)),
    contentType: 'text/plain;charset=UTF-8',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'reply: NaN literal',
    method: 'POST',
    path: (c) => `/threads/${c.threadId}/messages`,
    raw: `{"clientId":"${randomUUID()}","body":NaN}`,
    contentType: JSON_CT,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'thread patch: JSON with a comment',
    method: 'PATCH',
    path: (c) => `/threads/${c.threadId}`,
    raw: '{"status":"closed" // done\n}',
    contentType: JSON_CT,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'reads: valid JSON of 200,000 nested arrays (parsed, then refused by shape)',
    method: 'POST',
    path: '/reads',
    raw: `{"messageIds":${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
    contentType: JSON_CT,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'new thread: a JSON body over the 512 KB limit',
    method: 'POST',
    path: '/threads',
    json: (c: Ctx) => newThread(c, { body: 'x'.repeat(600 * 1024) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
]

const signInCases = group(
  'sign-in',
  { who: 'none', method: 'POST', path: '/auth/sign-in', status: 400, code: 'VALIDATION_FAILED' },
  [
    { name: 'missing password', json: without(signInBody, 'password') },
    { name: 'missing email', json: without(signInBody, 'email') },
    { name: 'unknown field', json: { ...signInBody, rememberMe: true } },
    { name: 'email that is not an email', json: { ...signInBody, email: 'admin-at-demo.test' } },
    { name: 'password as a number', json: { ...signInBody, password: 12345678901 } },
    { name: 'email as an array', json: { ...signInBody, email: ['admin@demo.test'] } },
    { name: 'password over 200 characters', json: { ...signInBody, password: 'p'.repeat(201) } },
    { name: 'empty password', json: { ...signInBody, password: '' } },
    {
      name: 'wrong password',
      json: { ...signInBody, password: 'not-the-password' },
      status: 401,
      code: 'INVALID_CREDENTIALS',
    },
  ],
)

const newThreadCases = group(
  'new thread',
  { method: 'POST', path: '/threads', status: 400, code: 'VALIDATION_FAILED' },
  [
    { name: 'missing clientId', json: (c: Ctx) => without(newThread(c), 'clientId') },
    { name: 'missing subject', json: (c: Ctx) => without(newThread(c), 'subject') },
    { name: 'missing projectId', json: (c: Ctx) => without(newThread(c), 'projectId') },
    { name: 'unknown field', json: (c: Ctx) => newThread(c, { priority: 'high' }) },
    {
      name: 'clientId that is not a UUID',
      json: (c: Ctx) => newThread(c, { clientId: 'retry-1' }),
    },
    {
      name: 'projectId that is not a UUID',
      json: (c: Ctx) => newThread(c, { projectId: 'maple' }),
    },
    {
      name: 'projectId of no project',
      json: (c: Ctx) => newThread(c, { projectId: uuid() }),
      status: 404,
      code: 'NOT_FOUND',
    },
    { name: 'internal as the string "true"', json: (c: Ctx) => newThread(c, { internal: 'true' }) },
    {
      name: 'attachmentIds as a string',
      json: (c: Ctx) => newThread(c, { attachmentIds: uuid() }),
    },
    {
      name: 'participantIds holding a non-UUID',
      json: (c: Ctx) => newThread(c, { participantIds: ['sam'] }),
    },
    { name: 'empty subject', json: (c: Ctx) => newThread(c, { subject: '' }) },
    { name: 'whitespace-only subject', json: (c: Ctx) => newThread(c, { subject: ' \t  ' }) },
    {
      name: 'subject of 201 characters',
      json: (c: Ctx) => newThread(c, { subject: 's'.repeat(201) }),
    },
    {
      name: 'body over the company maxBodyChars (20,001 characters)',
      json: (c: Ctx) => newThread(c, { body: 'b'.repeat(20_001) }),
    },
    {
      name: 'body over the schema maximum (100,001 characters)',
      json: (c: Ctx) => newThread(c, { body: 'b'.repeat(100_001) }),
    },
    { name: 'blank body and no attachments', json: (c: Ctx) => newThread(c, { body: '  \n ' }) },
    {
      name: '11 attachments, over maxFilesPerMessage (10)',
      json: (c: Ctx) => newThread(c, { attachmentIds: Array.from({ length: 11 }, uuid) }),
      status: 400,
      code: 'TOO_MANY_FILES',
    },
    {
      name: '51 attachment ids, over the schema maximum',
      json: (c: Ctx) => newThread(c, { attachmentIds: Array.from({ length: 51 }, uuid) }),
    },
    {
      name: "a customer attaching staff's upload",
      who: 'carla',
      json: (c: Ctx) => newThread(c, { attachmentIds: [c.samMapleFile] }),
      status: 400,
      code: 'ATTACHMENT_NOT_AVAILABLE',
    },
  ],
)

const replyPath = (c: Ctx) => `/threads/${c.threadId}/messages`
const replyCases = group(
  'reply',
  { method: 'POST', path: replyPath, status: 400, code: 'VALIDATION_FAILED' },
  [
    { name: 'missing clientId', json: { body: 'Hi' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'body as a number', json: () => draft({ body: 42 }) },
    { name: 'unknown field threadId', json: (c: Ctx) => draft({ threadId: c.threadId }) },
    { name: 'urgent as "yes"', json: () => draft({ urgent: 'yes' }) },
    {
      name: 'body over maxBodyChars (20,001 characters)',
      json: () => draft({ body: 'r'.repeat(20_001) }),
    },
    {
      name: 'thread id that is not a UUID',
      path: '/threads/not-a-thread/messages',
      json: () => draft(),
    },
    {
      name: 'thread that does not exist',
      path: () => `/threads/${uuid()}/messages`,
      json: () => draft(),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: "a customer attaching staff's upload",
      who: 'carla',
      json: (c: Ctx) => draft({ attachmentIds: [c.samMapleFile] }),
      status: 400,
      code: 'ATTACHMENT_NOT_AVAILABLE',
    },
    {
      name: 'staff attaching their own upload from another project (Oak Ridge into Maple Street)',
      json: (c: Ctx) => draft({ attachmentIds: [c.samOakFile] }),
      status: 400,
      code: 'ATTACHMENT_NOT_AVAILABLE',
    },
    {
      name: 'an attachment already on another message',
      who: 'carla',
      json: (c: Ctx) => draft({ attachmentIds: [c.attachedFile] }),
      status: 400,
      code: 'ATTACHMENT_NOT_AVAILABLE',
    },
    {
      name: 'an attachment id that was never uploaded',
      json: () => draft({ attachmentIds: [uuid()] }),
      status: 400,
      code: 'ATTACHMENT_NOT_AVAILABLE',
    },
    {
      name: '11 files, over maxFilesPerMessage',
      json: () => draft({ attachmentIds: Array.from({ length: 11 }, uuid) }),
      status: 400,
      code: 'TOO_MANY_FILES',
    },
    {
      name: 'a customer writing an internal note',
      who: 'carla',
      json: () => draft({ internal: true }),
      status: 403,
      code: 'FORBIDDEN',
    },
    {
      name: 'a customer writing into a thread they are not in',
      who: 'ben',
      json: () => draft(),
      status: 404,
      code: 'NOT_FOUND',
    },
  ],
)

const threadPath = (c: Ctx) => `/threads/${c.threadId}`
const patchCases = group(
  'thread patch',
  { method: 'PATCH', path: threadPath, status: 400, code: 'VALIDATION_FAILED' },
  [
    { name: 'empty patch', json: {}, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'unknown field', json: { pinned: true }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'unknown status', json: { status: 'pending' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'status as a number', json: { status: 1 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'snoozedUntil that is not a timestamp', json: { snoozedUntil: 'tomorrow' } },
    {
      name: 'snoozedUntil with an offset instead of UTC',
      json: { snoozedUntil: '2030-01-01T09:00:00+02:00' },
    },
    { name: 'assigneeId that is not a UUID', json: { assigneeId: 'sam' } },
    { name: 'assigneeId of a customer', json: (c: Ctx) => ({ assigneeId: c.carlaId }) },
    { name: 'assigneeId of nobody', json: () => ({ assigneeId: uuid() }) },
    { name: 'empty subject', json: { subject: '' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'subject of 201 characters', json: { subject: 'x'.repeat(201) } },
    {
      name: 'a customer changing the status',
      who: 'carla',
      json: { status: 'closed' },
      status: 403,
      code: 'FORBIDDEN',
    },
    {
      name: 'thread id that is not a UUID',
      path: "/threads/1' OR '1'='1",
      json: { status: 'closed' },
    },
  ],
)

const participantsPath = (c: Ctx) => `/threads/${c.threadId}/participants`
const participantCases = group('participants', { method: 'POST', path: participantsPath }, [
  { name: 'missing userId', json: {}, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'userId as a number', json: { userId: 7 }, status: 400, code: 'VALIDATION_FAILED' },
  {
    name: 'unknown field',
    json: (c: Ctx) => ({ userId: c.benId, role: 'admin' }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'userId of nobody',
    json: () => ({ userId: uuid() }),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a customer of another project',
    json: (c: Ctx) => ({ userId: c.benId }),
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'a customer adding people',
    who: 'carla',
    json: (c: Ctx) => ({ userId: c.benId }),
    status: 403,
    code: 'FORBIDDEN',
  },
])
participantCases.push({
  name: 'participants: removing a user id that is not a UUID',
  method: 'DELETE',
  path: (c) => `/threads/${c.threadId}/participants/not-a-user`,
  status: 400,
  code: 'VALIDATION_FAILED',
})

const readCases = group(
  'reads',
  { method: 'POST', path: '/reads', status: 400, code: 'VALIDATION_FAILED' },
  [
    { name: 'empty messageIds', json: { messageIds: [] }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'messageIds as a string', json: (c: Ctx) => ({ messageIds: c.messageId }) },
    { name: 'messageIds holding a non-UUID', json: { messageIds: ['1 OR 1=1'] } },
    { name: '1001 messageIds', json: () => ({ messageIds: Array.from({ length: 1001 }, uuid) }) },
    {
      name: 'unknown field',
      json: (c: Ctx) => ({ messageIds: [c.messageId], readAt: '2020-01-01T00:00:00.000Z' }),
    },
    { name: 'missing messageIds', json: {}, status: 400, code: 'VALIDATION_FAILED' },
  ],
)

const preferenceCases = group(
  'preferences',
  {
    who: 'carla',
    method: 'PATCH',
    path: '/me/preferences',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  [
    { name: 'emailDigest as "yes"', json: { emailDigest: 'yes' } },
    { name: 'unknown preference', json: { emailOnNewMessage: true, smsAlerts: true } },
    { name: 'emailUrgent null', json: { emailUrgent: null } },
    { name: 'an array body', json: [true], status: 400, code: 'VALIDATION_FAILED' },
  ],
)

const settingsCases = group(
  'admin settings',
  {
    who: 'admin',
    method: 'PATCH',
    path: '/admin/settings',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  [
    { name: 'maxFileBytes under the minimum', json: { maxFileBytes: 10 } },
    { name: 'maxFileBytes as a string', json: { maxFileBytes: '65536' } },
    { name: 'maxFileBytes as a fraction', json: { maxFileBytes: 65536.5 } },
    { name: 'unknown setting', json: { allowExecutables: true } },
    { name: 'an executable in allowedFileTypes', json: { allowedFileTypes: ['pdf', 'exe'] } },
    {
      name: 'business hours starting at 25:00',
      json: { businessHours: { timezone: 'UTC', days: [1], start: '25:00', end: '17:00' } },
    },
    { name: 'autoReply missing its other fields', json: { autoReply: { enabled: true } } },
    { name: 'maxBodyChars over 100,000', json: { maxBodyChars: 1_000_000 } },
    { name: 'messagesEnabled as "off"', json: { messagesEnabled: 'off' } },
    {
      name: 'staff (not admin) changing settings',
      who: 'staff',
      json: { messagesEnabled: false },
      status: 403,
      code: 'FORBIDDEN',
    },
  ],
)

const person = { role: 'customer', name: 'Quinn Test', email: 'quinn@demo.test', invite: false }
const peopleCases = group(
  '',
  { who: 'admin', method: 'POST', path: '/admin/people', status: 400, code: 'VALIDATION_FAILED' },
  [
    { name: 'new person: missing email', json: without(person, 'email') },
    { name: 'new person: unknown role', json: { ...person, role: 'superuser' } },
    { name: 'new person: invalid email', json: { ...person, email: 'quinn@' } },
    { name: 'new person: unknown field password', json: { ...person, password: 'letmein-please' } },
    { name: 'new person: blank name', json: { ...person, name: '   ' } },
    {
      name: 'new person: email already taken (any case)',
      json: { ...person, email: 'Admin@Demo.Test' },
      status: 409,
      code: 'EMAIL_TAKEN',
    },
    {
      name: 'new person: a project that does not exist',
      json: () => ({ ...person, email: `p-${Date.now()}@demo.test`, projectIds: [uuid()] }),
      status: 404,
      code: 'NOT_FOUND',
    },
    { name: 'new person: portalAccess as 1', json: { ...person, portalAccess: 1 } },
  ],
)
peopleCases.push(
  ...group(
    'person patch',
    { who: 'admin', method: 'PATCH', status: 400, code: 'VALIDATION_FAILED' },
    [
      { name: 'empty patch', path: (c) => `/admin/people/${c.benId}`, json: {} },
      { name: 'person id that is not a UUID', path: '/admin/people/ben', json: { name: 'Ben' } },
      {
        name: 'person who does not exist',
        path: () => `/admin/people/${uuid()}`,
        json: { name: 'Nobody' },
        status: 404,
        code: 'NOT_FOUND',
      },
      { name: 'unknown role', path: (c) => `/admin/people/${c.benId}`, json: { role: 'owner' } },
    ],
  ),
  {
    name: 'invitation: person id that is not a UUID',
    who: 'admin',
    method: 'POST',
    path: '/admin/people/%00/invitation',
    json: {},
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'new person: a customer creating people',
    who: 'carla',
    method: 'POST',
    path: '/admin/people',
    json: person,
    status: 403,
    code: 'FORBIDDEN',
  },
)

const project = { name: 'Test Project', stage: 'construction' }
const projectCases = group('', { who: 'admin', status: 400, code: 'VALIDATION_FAILED' }, [
  {
    name: 'new project: missing stage',
    method: 'POST',
    path: '/admin/projects',
    json: without(project, 'stage'),
  },
  {
    name: 'new project: unknown stage',
    method: 'POST',
    path: '/admin/projects',
    json: { ...project, stage: 'done' },
  },
  {
    name: 'new project: customerIds holding a non-UUID',
    method: 'POST',
    path: '/admin/projects',
    json: { ...project, customerIds: ['carla'] },
  },
  {
    name: 'new project: a customer who does not exist',
    method: 'POST',
    path: '/admin/projects',
    json: () => ({ ...project, customerIds: [uuid()] }),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'new project: a customer on the team',
    method: 'POST',
    path: '/admin/projects',
    json: (c: Ctx) => ({ ...project, teamIds: [c.carlaId] }),
  },
  {
    name: 'new project: name of 201 characters',
    method: 'POST',
    path: '/admin/projects',
    json: { ...project, name: 'n'.repeat(201) },
  },
  {
    name: 'project patch: empty patch',
    method: 'PATCH',
    path: (c: Ctx) => `/admin/projects/${c.oak}`,
    json: {},
  },
  {
    name: 'project patch: project id that is not a UUID',
    method: 'PATCH',
    path: '/admin/projects/oak-ridge',
    json: { name: 'Oak' },
  },
  {
    name: 'project patch: project that does not exist',
    method: 'PATCH',
    path: () => `/admin/projects/${uuid()}`,
    json: { name: 'Nowhere' },
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'project patch: teamIds as an object',
    method: 'PATCH',
    path: (c: Ctx) => `/admin/projects/${c.oak}`,
    json: { teamIds: { 0: 'a' } },
  },
])

const idCases = group('ids and queries', { method: 'GET', code: 'VALIDATION_FAILED' }, [
  { name: 'thread id that is not a UUID', path: '/threads/123', status: 400 },
  {
    name: 'thread id: a UUID with an extra character',
    path: () => `/threads/${uuid()}0`,
    status: 400,
  },
  {
    name: 'thread id: SQL in the path',
    path: `/threads/${encodeURIComponent("x' OR 1=1 --")}`,
    status: 400,
  },
  { name: 'thread id: path traversal', path: '/threads/..%2F..%2Fetc%2Fpasswd', status: 400 },
  {
    name: 'thread that does not exist',
    path: () => `/threads/${uuid()}`,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'messages of a thread id that is not a UUID',
    path: '/threads/nope/messages',
    status: 400,
  },
  { name: 'thread list: projectId not a UUID', path: '/threads?projectId=abc', status: 400 },
  {
    name: 'thread list: projectId given twice',
    path: () => `/threads?projectId=${uuid()}&projectId=${uuid()}`,
    status: 400,
  },
  { name: 'thread list: unknown view', path: '/threads?view=everything', status: 400 },
  { name: 'thread list: limit 0', path: '/threads?limit=0', status: 400 },
  { name: 'thread list: limit "abc"', path: '/threads?limit=abc', status: 400 },
  { name: 'thread list: limit 201', path: '/threads?limit=201', status: 400 },
  { name: 'thread list: garbage cursor', path: '/threads?cursor=!!!', status: 400 },
  { name: 'thread list: unknown query parameter', path: '/threads?sort=asc', status: 400 },
  {
    name: 'messages: before -1',
    path: (c: Ctx) => `/threads/${c.threadId}/messages?before=-1`,
    status: 400,
  },
  {
    name: 'messages: limit 501',
    path: (c: Ctx) => `/threads/${c.threadId}/messages?limit=501`,
    status: 400,
  },
  { name: 'changes: after "abc"', path: '/changes?after=abc', status: 400 },
  { name: 'changes: limit 5001', path: '/changes?limit=5001', status: 400 },
  { name: 'attachment id that is not a UUID', path: '/attachments/passwd', status: 400 },
  // A path parameter longer than any id: 414 in our shape, not Fastify's (issue 11, item 9).
  {
    name: 'a thread id of 150 characters',
    path: `/threads/${'a'.repeat(150)}`,
    status: 414,
    code: 'URI_TOO_LONG',
  },
  {
    name: 'attachment that does not exist',
    path: () => `/attachments/${uuid()}`,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: "someone else's unattached upload",
    who: 'carla',
    path: (c: Ctx) => `/attachments/${c.samMapleFile}`,
    status: 404,
    code: 'NOT_FOUND',
  },
  { name: 'search: limit 0', path: '/search?q=tile&limit=0', status: 400 },
  { name: 'search: q over 500 characters', path: `/search?q=${'a'.repeat(501)}`, status: 400 },
  {
    name: 'search: q of 2,000 characters of FTS syntax',
    path: `/search?q=${encodeURIComponent('"(NEAR*^:-'.repeat(200))}`,
    status: 400,
  },
])

const authCases = group(
  'auth',
  { who: 'none', method: 'GET', status: 401, code: 'UNAUTHENTICATED' },
  [
    { name: 'no token', path: '/threads', status: 401, code: 'UNAUTHENTICATED' },
    {
      name: 'Basic instead of Bearer',
      path: '/threads',
      headers: { authorization: 'Basic YWRtaW5AZGVtby50ZXN0OnBvcnRhbC1kZW1v' },
    },
    { name: '"Bearer" without a token', path: '/me', headers: { authorization: 'Bearer' } },
    { name: 'Bearer with two tokens', path: '/me', headers: { authorization: 'Bearer abc def' } },
    {
      name: 'a random (forged) token',
      path: '/me',
      headers: { authorization: `Bearer ${randomBytes(32).toString('base64url')}` },
    },
    { name: 'a 8 KB token', path: '/me', headers: { authorization: `Bearer ${'A'.repeat(8000)}` } },
    {
      name: 'no token on an admin route',
      method: 'PATCH',
      path: '/admin/settings',
      json: { messagesEnabled: false },
    },
    { name: 'no token on sign-out', method: 'POST', path: '/auth/sign-out', json: {} },
  ],
)

const routeCases: Case[] = [
  { name: 'GET /api/v1/nope', method: 'GET', path: '/nope', status: 404, code: 'NOT_FOUND' },
  {
    name: 'DELETE /api/v1/threads (no such method)',
    method: 'DELETE',
    path: '/threads',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'POST /api/v1/health',
    method: 'POST',
    path: '/health',
    json: {},
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'GET /api/v1/admin/secrets',
    who: 'admin',
    method: 'GET',
    path: '/admin/secrets',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'GET /api/v1/../../etc/passwd (encoded)',
    method: 'GET',
    path: '/%2e%2e/%2e%2e/etc/passwd',
    status: 404,
    code: 'NOT_FOUND',
  },
]

// Each group's cases under its own heading; the groups with hand-written cases as well follow.
const tables: [string, Case[][]][] = [
  ['malformed JSON and content types', [malformedJson]],
  ['sign-in', [signInCases]],
  ['new thread', [newThreadCases]],
  ['reply', [replyCases]],
  ['thread patch', [patchCases]],
  ['participants', [participantCases]],
  ['reads', [readCases]],
  ['preferences', [preferenceCases]],
  ['admin', [settingsCases, peopleCases, projectCases]],
  ['bad ids in paths and queries', [idCases]],
]
for (const [title, groups] of tables)
  describe(title, () => {
    for (const cases of groups) it.each(cases)('$name', runCase)
  })
describe('unknown routes', () => {
  it.each(routeCases)('$name', runCase)

  it('a path outside /api/v1 (and not the portal page) is a 404 too', async () => {
    for (const p of ['/nothing-here', '/api/v2/threads', '/api/v1']) {
      const res = await fetch(`${portal.server.url}${p}`)
      const body: unknown = await res.json()
      expectError({ status: res.status, body, headers: res.headers }, 404, 'NOT_FOUND')
    }
  })
})

describe('auth', () => {
  it.each(authCases)('$name', runCase)

  it('auth: a real token with one character changed', async () => {
    const token = portal.staff.token ?? ''
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
    expectError(await portal.staff.as(forged).get('/me'), 401, 'UNAUTHENTICATED')
  })

  it('auth: a signed-out token is SESSION_EXPIRED for reads, writes and uploads', async () => {
    const res = await anon().post('/auth/sign-in', {
      email: 'staff2@demo.test',
      password: 'portal-demo',
    })
    const session = Session.parse(res.body)
    const tess = portal.staff.as(session.token)
    expect((await tess.get('/me')).status).toBe(200)
    expect((await tess.post('/auth/sign-out')).status).toBe(200)
    expectError(await tess.get('/me'), 401, 'SESSION_EXPIRED')
    expectError(await tess.get('/threads'), 401, 'SESSION_EXPIRED')
    expectError(await tess.post('/auth/sign-out'), 401, 'SESSION_EXPIRED')
    expectError(await tess.upload(ctx.oak, 'x.pdf', demoPdf('x')), 401, 'SESSION_EXPIRED')
  })
})

describe('replayed client ids', () => {
  const expectConflict = (res: ApiResponse) => expectError(res, 409, 'CLIENT_ID_CONFLICT')

  it('an upload replayed into another project is a 409, and names nothing', async () => {
    const clientId = uuid()
    const first = await portal.staff.upload(ctx.maple, 'plan.pdf', pdf, clientId)
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    acceptedUploads++
    expect((await portal.staff.upload(ctx.maple, 'plan.pdf', pdf, clientId)).status).toBe(200)
    const other = await portal.staff.upload(ctx.oak, 'plan.pdf', pdf, clientId)
    expectConflict(other)
    expect(JSON.stringify(other.body)).not.toContain(ctx.maple)
  })

  it('a new thread replayed with a different body is a 409 CLIENT_ID_CONFLICT', async () => {
    const body = newThread(ctx, { subject: 'Replay one' })
    expect((await portal.staff.post('/threads', body)).status).toBe(201)
    expect((await portal.staff.post('/threads', body)).status).toBe(200)
    expectConflict(await portal.staff.post('/threads', { ...body, body: 'Other words' }))
  })

  it('a new thread replayed into another subject is a 409', async () => {
    const body = newThread(ctx, { subject: 'Replay two' })
    expect((await portal.staff.post('/threads', body)).status).toBe(201)
    expectConflict(await portal.staff.post('/threads', { ...body, subject: 'Replay two, edited' }))
  })

  it('a reply replayed with urgent flipped is a 409', async () => {
    const body = draft()
    expect((await portal.carla.post(replyPath(ctx), body)).status).toBe(201)
    expectConflict(await portal.carla.post(replyPath(ctx), { ...body, urgent: true }))
  })

  it("a thread's client id reused for a reply is a 409", async () => {
    const body = newThread(ctx, { subject: 'Replay three' })
    expect((await portal.staff.post('/threads', body)).status).toBe(201)
    expectConflict(
      await portal.staff.post(replyPath(ctx), { clientId: body.clientId, body: body.body }),
    )
  })
})

// ---- uploads ----

interface Part {
  name: string
  filename?: string
  contentType?: string
  data: string | Buffer
}
function multipart(parts: Part[], opts: { close?: boolean } = {}) {
  const boundary = `----bad-input-${randomUUID()}`
  const chunks: Buffer[] = []
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.contentType ? `Content-Type: ${p.contentType}\r\n` : ''}\r\n`,
      ),
      Buffer.from(p.data),
      Buffer.from('\r\n'),
    )
  }
  if (opts.close !== false) chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { raw: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

const pdf = demoPdf('A small PDF')
const png = demoPng([200, 100, 50])
const mz = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'),
  Buffer.alloc(50),
  Buffer.from('This program cannot be run in DOS mode.'),
])

interface UploadCase {
  name: string
  who?: Who
  filename: string
  bytes: Buffer | string
  project?: (c: Ctx) => string
  status: number
  code: ErrorCode
}
const uploadCases: UploadCase[] = [
  { name: 'a zero-byte file', filename: 'empty.pdf', bytes: '', status: 400, code: 'FILE_EMPTY' },
  {
    name: "a renamed executable ('MZ' bytes named invoice.pdf)",
    filename: 'invoice.pdf',
    bytes: mz,
    status: 415,
    code: 'FILE_TYPE_MISMATCH',
  },
  {
    name: 'a renamed executable named photo.jpg',
    filename: 'photo.jpg',
    bytes: mz,
    status: 415,
    code: 'FILE_TYPE_MISMATCH',
  },
  {
    name: 'PNG bytes named .pdf',
    filename: 'scan.pdf',
    bytes: png,
    status: 415,
    code: 'FILE_TYPE_MISMATCH',
  },
  {
    name: 'binary bytes named .txt',
    filename: 'notes.txt',
    bytes: Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00, 0xff]),
    status: 415,
    code: 'FILE_TYPE_MISMATCH',
  },
  {
    name: 'double extension invoice.pdf.exe',
    filename: 'invoice.pdf.exe',
    bytes: mz,
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'double extension photo.exe.jpg (even with JPEG-looking bytes)',
    filename: 'photo.exe.jpg',
    bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'an SVG',
    filename: 'logo.svg',
    bytes: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'an HTML page',
    filename: 'page.html',
    bytes: '<!doctype html><script>alert(1)</script>',
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'an .exe',
    filename: 'setup.exe',
    bytes: mz,
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'a type the company does not allow (.zip)',
    filename: 'photos.zip',
    bytes: Buffer.from('PK\x03\x04rest-of-zip', 'latin1'),
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'a name without an extension',
    filename: 'README',
    bytes: 'plain text',
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'path traversal ../../etc/passwd.pdf carrying passwd text',
    filename: '../../etc/passwd.pdf',
    bytes: 'root:x:0:0:root:/root:/bin/bash\n',
    status: 415,
    code: 'FILE_TYPE_MISMATCH',
  },
  {
    name: 'path traversal ..\\..\\win.ini',
    filename: '..\\..\\win.ini',
    bytes: '[fonts]\n',
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'right-to-left override hiding .exe (invoice<U+202E>fdp.exe)',
    filename: 'invoice\u202Efdp.exe',
    bytes: mz,
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'right-to-left override hiding .html (report<U+202E>fdp.html)',
    filename: 'report\u202Efdp.html',
    bytes: '<script>alert(1)</script>',
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'a NUL byte truncating .exe.pdf',
    filename: 'evil.exe\u0000.pdf',
    bytes: pdf,
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'zero-width and control characters around .exe',
    filename: 'inv\u200Boice\u0007.e\u200Dxe',
    bytes: mz,
    status: 415,
    code: 'FILE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'a name of only control characters',
    filename: '\u0001\u0002\u0003',
    bytes: pdf,
    status: 400,
    code: 'FILE_NAME_INVALID',
  },
  {
    name: 'a name of only dots',
    filename: '....',
    bytes: pdf,
    status: 400,
    code: 'FILE_NAME_INVALID',
  },
  {
    name: 'a name of one dot and a slash',
    filename: './',
    bytes: pdf,
    status: 400,
    code: 'FILE_NAME_INVALID',
  },
  {
    name: 'a Windows device name (CON.pdf)',
    filename: 'CON.pdf',
    bytes: pdf,
    status: 400,
    code: 'FILE_NAME_INVALID',
  },
  {
    name: 'a project id that does not exist',
    filename: 'plan.pdf',
    bytes: pdf,
    project: () => randomUUID(),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a customer uploading into a project they are not on (answered as missing)',
    who: 'carla',
    filename: 'plan.pdf',
    bytes: pdf,
    project: (c) => c.oak,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a customer uploading while their project is in the lead stage (portal closed)',
    who: 'erin',
    filename: 'kitchen.pdf',
    bytes: pdf,
    project: (c) => c.cedar,
    status: 403,
    code: 'PROJECT_STAGE_CLOSED',
  },
  {
    name: 'no session',
    who: 'none',
    filename: 'plan.pdf',
    bytes: pdf,
    status: 401,
    code: 'UNAUTHENTICATED',
  },
]

/** Multipart bodies a browser form would never send. */
interface RawUploadCase {
  name: string
  body: () => { raw: Buffer | string; contentType: string }
  path?: (c: Ctx) => string
  status: number
  code: ErrorCode
}
const rawUploadCases: RawUploadCase[] = [
  {
    name: 'no file part (only a text field)',
    body: () => multipart([{ name: 'note', data: 'hello' }]),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'an empty form (closing boundary only)',
    body: () => multipart([]),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'the file under the wrong field name',
    body: () => multipart([{ name: 'upload', filename: 'plan.pdf', data: pdf }]),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a text field before the file',
    body: () =>
      multipart([
        { name: 'note', data: 'hello' },
        { name: 'file', filename: 'plan.pdf', data: pdf },
      ]),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'two files in one request',
    body: () =>
      multipart([
        { name: 'file', filename: 'one.pdf', data: pdf },
        { name: 'file', filename: 'two.pdf', data: pdf },
      ]),
    status: 400,
    code: 'TOO_MANY_FILES',
  },
  {
    name: 'a multipart body cut off before its closing boundary',
    body: () => multipart([{ name: 'file', filename: 'plan.pdf', data: pdf }], { close: false }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'multipart/form-data without a boundary',
    body: () => ({ raw: pdf, contentType: 'multipart/form-data' }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a boundary of 300 characters',
    body: () => {
      const boundary = 'b'.repeat(300)
      return {
        raw: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="plan.pdf"\r\n\r\n${pdf.toString('latin1')}\r\n--${boundary}--\r\n`,
        contentType: `multipart/form-data; boundary=${boundary}`,
      }
    },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'not multipart: JSON',
    body: () => ({ raw: JSON.stringify({ file: pdf.toString('base64') }), contentType: JSON_CT }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'not multipart: raw application/pdf bytes',
    body: () => ({ raw: pdf, contentType: 'application/pdf' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'not multipart: text/plain',
    body: () => ({ raw: 'hello', contentType: 'text/plain' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'project id that is not a UUID',
    body: () => multipart([{ name: 'file', filename: 'plan.pdf', data: pdf }]),
    path: () => '/projects/maple/attachments',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'clientId that is not a UUID',
    body: () => multipart([{ name: 'file', filename: 'plan.pdf', data: pdf }]),
    path: (c) => `/projects/${c.maple}/attachments?clientId=retry-1`,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'an unknown query parameter',
    body: () => multipart([{ name: 'file', filename: 'plan.pdf', data: pdf }]),
    path: (c) => `/projects/${c.maple}/attachments?overwrite=1`,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
]

describe('uploads', () => {
  it.each(uploadCases)('upload: $name', async (c) => {
    const api = apiFor(c.who ?? 'staff')
    const res = await api.upload(
      (c.project ?? ((x: Ctx) => x.maple))(ctx),
      c.filename,
      Buffer.from(c.bytes),
    )
    expectError(res, c.status, c.code)
  })

  it.each(rawUploadCases)('upload: $name', async (c) => {
    const { raw, contentType } = c.body()
    const res = await portal.staff.request(
      'POST',
      (c.path ?? ((x: Ctx) => `/projects/${x.maple}/attachments`))(ctx),
      undefined,
      { raw, headers: { 'content-type': contentType } },
    )
    expectError(res, c.status, c.code)
  })

  it('upload: a file over maxFileBytes (64 KB) is a 413 FILE_TOO_LARGE, just over and far over', async () => {
    const before = (await portal.admin.get('/admin/settings')).body.maxFileBytes as number
    const set = await portal.admin.patch('/admin/settings', { maxFileBytes: 64 * 1024 })
    expect(set.status).toBe(200)
    try {
      for (const size of [64 * 1024 + 1, 200 * 1024, 4 * 1024 * 1024]) {
        const bytes = Buffer.concat([pdf, randomBytes(size - pdf.length)])
        const res = await portal.staff.upload(ctx.maple, 'big.pdf', bytes)
        expectError(res, 413, 'FILE_TOO_LARGE')
        expect(res.body.error.message).toContain('64 KB')
      }
      // Exactly at the limit is fine.
      const at = Buffer.concat([pdf, randomBytes(64 * 1024 - pdf.length)])
      const ok = await portal.staff.upload(ctx.maple, 'at-limit.pdf', at)
      expect(ok.status).toBe(201)
      acceptedUploads++
    } finally {
      const restored = await portal.admin.patch('/admin/settings', { maxFileBytes: before })
      expect(restored.status).toBe(200)
    }
    expect((await portal.admin.get('/admin/settings')).body.maxFileBytes).toBe(before)
  })

  it('upload: a traversal name with real PDF bytes is stored under its last segment only', async () => {
    const res = await portal.staff.upload(ctx.maple, '../../etc/passwd.pdf', pdf)
    expect(res.status).toBe(201)
    acceptedUploads++
    expect(AttachmentUpload.parse(res.body).attachment.name).toBe('passwd.pdf')
  })

  it('upload: a right-to-left override is stripped from an accepted name', async () => {
    const res = await portal.staff.upload(ctx.maple, 'scan\u202Egnp.pdf', pdf)
    expect(res.status).toBe(201)
    acceptedUploads++
    expect(AttachmentUpload.parse(res.body).attachment.name).toBe('scangnp.pdf')
  })
})

// ---- search: odd input is safe ----

const oddQueries = [
  '"',
  '""',
  '*',
  '(',
  ')',
  '()',
  'tile)',
  '(tile',
  'NEAR(tile mosaic)',
  'tile NEAR/2 mosaic',
  'tile AND mosaic',
  'tile OR mosaic',
  'tile NOT mosaic',
  'AND OR NOT',
  '^tile',
  'subject:tile',
  'body:tile',
  ':',
  '::tile',
  '-tile',
  '- - -',
  '"unbalanced tile',
  'tile"',
  '"tile" "',
  '***tile',
  'tile***',
  '{subject body}: tile',
  "'; DROP TABLE messages; --",
  '%_%',
  '\\',
  'from:',
  'before:2020-13-45',
  'after:not-a-date',
  'is:',
  'has:',
  '\u202Etile',
  '🏠 tile',
  'a'.repeat(500),
  // Control characters (issue 11, item 6: a NUL ended FTS5's string). Lone surrogates cannot be
  // percent-encoded by fetch; tests/server/search-fuzz.test.ts sends them byte by byte.
  'tile\u0000',
  'ti\u0000le',
  '"tile\u0000"',
  '\u0000',
  'tile\u0007\u001b\u007f\u0085',
]

describe('search with FTS syntax', () => {
  it.each(
    oddQueries.map((q) => ({
      q,
      // Invisible and direction-changing characters are spelled out, so the report reads right.
      label: (q.length > 40 ? `${q.slice(0, 20)}… (${q.length} characters)` : q).replace(
        /[\u200b-\u200f\u202a-\u202e]/g,
        (ch) => `<U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
      ),
    })),
  )('search: $label answers 200 with a well-formed result', async ({ q }) => {
    const res = await portal.staff.get(`/search?q=${encodeURIComponent(q)}`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const result = SearchResult.parse(res.body)
    // The demo's tile conversation is visible to Sam: any query that is just "tile" wrapped in
    // syntax still finds it, because the syntax is searched as text, never run as FTS operators.
    if (/^[^\p{L}]*tile[^\p{L}]*$/u.test(q)) expect(result.hits.length).toBeGreaterThan(0)
  })

  it('search: q of exactly 500 characters is accepted, 501 is a 400', async () => {
    expect((await portal.staff.get(`/search?q=${'b'.repeat(500)}`)).status).toBe(200)
    expectError(await portal.staff.get(`/search?q=${'b'.repeat(501)}`), 400, 'VALIDATION_FAILED')
  })
})

// ---- afterwards ----

describe('after all of it', () => {
  it('the server is still up and no refused upload left a file in storage', async () => {
    const health = await anon().get('/health')
    expect(health.status).toBe(200)
    Health.parse(health.body)
    expect(portal.server.process.exitCode).toBeNull()
    expect(portal.server.output()).not.toMatch(/unexpected error|response did not match/)

    const incoming = await countFiles(path.join(attachmentsDir(), '.incoming'))
    expect(incoming).toBe(0)
    expect(await countFiles(attachmentsDir())).toBe(baselineFiles + acceptedUploads)
  })
})

const caseCount =
  malformedJson.length +
  signInCases.length +
  newThreadCases.length +
  replyCases.length +
  patchCases.length +
  participantCases.length +
  readCases.length +
  preferenceCases.length +
  settingsCases.length +
  peopleCases.length +
  projectCases.length +
  idCases.length +
  authCases.length +
  routeCases.length +
  uploadCases.length +
  rawUploadCases.length
it('the suite covers at least 60 distinct bad-input cases', () => {
  expect(caseCount).toBeGreaterThanOrEqual(60)
  const names = [
    ...malformedJson,
    ...signInCases,
    ...newThreadCases,
    ...replyCases,
    ...patchCases,
    ...participantCases,
    ...readCases,
    ...preferenceCases,
    ...settingsCases,
    ...peopleCases,
    ...projectCases,
    ...idCases,
    ...authCases,
    ...routeCases,
  ].map((c) => c.name)
  expect(new Set(names).size).toBe(names.length)
})
