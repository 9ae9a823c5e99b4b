/**
 * The access matrix: every actor against every operation on one Maple Street thread, one named
 * test per cell. The expected table below is the specification (server/src/domain/access.ts says
 * who may see a thread; roles say who may do what in it); the tests only read it.
 *
 * One server for the whole file, one sign-in per actor. Every refusal is also compared with the
 * answer for an id that does not exist, so a refusal never tells anyone that the thread exists.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AttachmentUpload,
  ChangesPage,
  ErrorBodySchema,
  InvitationResult,
  JoinReply,
  MessagePage,
  PeopleList,
  PersonResult,
  Thread,
  ThreadList,
  ThreadSummary,
  ThreadWithMessage,
  clientEvents,
  statusOf,
} from '../../src/shared/protocol'
import { type Api, demoDirectory, signIn } from '../support/api'
import { connectLive, type LiveSocket } from '../support/live'
import { startServer, type RunningServer } from '../support/server'

// ---- the specification ----

const actors = {
  admin: { email: 'admin@demo.test', label: 'admin' },
  assignedStaff: { email: 'staff@demo.test', label: 'assigned staff (on Maple Street)' },
  unassignedStaff: { email: 'staff2@demo.test', label: 'unassigned staff (Oak Ridge only)' },
  customerA: { email: 'customer@demo.test', label: 'customer of Maple Street' },
  customerB: { email: 'customer2@demo.test', label: 'customer of Oak Ridge' },
  addedSub: { email: 'sub@demo.test', label: 'subcontractor added to the thread' },
  otherSub: { email: 'sub2@demo.test', label: 'subcontractor not added' },
} as const
type ActorKey = keyof typeof actors
const actorKeys = Object.keys(actors) as ActorKey[]

/**
 * OK: allowed. HIDDEN: silently absent (not listed, no live event, not in the feed).
 * 404: refused as if the thread (or file) did not exist. 403: refused by role; for non-staff the
 * role check comes first, so the same 403 answers for any thread id and reveals nothing.
 * For room joins, 404/403 is the status of the error code in the ack.
 */
const OK = true
const HIDDEN = false
type Expected = typeof OK | typeof HIDDEN | 403 | 404
/** One Expected per column, checked by the compiler to be exactly as long as the column list. */
type Row<Columns extends readonly string[]> = { -readonly [I in keyof Columns]: Expected }

const ops = [
  'list', //           GET /threads contains the thread
  'get', //            GET /threads/:id
  'messages', //       GET /threads/:id/messages
  'write', //          POST /threads/:id/messages
  'addParticipant', // POST /threads/:id/participants
  'download', //       GET /attachments/:id (a file of the thread's first message)
  'join', //           socket 'room:join' { room: 'thread:<id>' }
  'live', //           a connected socket gets the 'changes' event of a new public message
  'feed', //           GET /changes?after=0 contains the thread and its messages
  'start', //          POST /threads in the thread's project (a project one may not see is a 404)
  'invite', //         POST /threads/:id/invitations (someone new, by email)
] as const
type Op = (typeof ops)[number]

// prettier-ignore
const matrix: Record<ActorKey, Row<typeof ops>> = {
  //               list    get  messages write addPart download join live    feed    start invite
  admin:           [OK,     OK,  OK,      OK,   OK,     OK,      OK,  OK,     OK,     OK,   OK ],
  assignedStaff:   [OK,     OK,  OK,      OK,   OK,     OK,      OK,  OK,     OK,     OK,   OK ],
  unassignedStaff: [HIDDEN, 404, 404,     404,  404,    404,     404, HIDDEN, HIDDEN, 403,  404],
  customerA:       [OK,     OK,  OK,      OK,   403,    OK,      OK,  OK,     OK,     OK,   403],
  customerB:       [HIDDEN, 404, 404,     404,  403,    404,     404, HIDDEN, HIDDEN, 404,  403],
  addedSub:        [OK,     OK,  OK,      OK,   403,    OK,      OK,  OK,     OK,     403,  403],
  otherSub:        [HIDDEN, 404, 404,     404,  403,    404,     404, HIDDEN, HIDDEN, 404,  403],
}

/** An internal note posted by staff in the thread, with a file attached. */
const noteOps = [
  'read', //     GET /threads/:id/messages has the note (and GET /threads/:id never shows it to others)
  'feed', //     GET /changes?after=0 has the note
  'live', //     a connected socket gets the note's 'changes' event
  'download', // GET /attachments/:id of the note's file
] as const
type NoteOp = (typeof noteOps)[number]

// prettier-ignore
const noteMatrix: Record<ActorKey, Row<typeof noteOps>> = {
  //               read    feed    live    download
  admin:           [OK,     OK,     OK,     OK ],
  assignedStaff:   [OK,     OK,     OK,     OK ],
  unassignedStaff: [404,    HIDDEN, HIDDEN, 404],
  customerA:       [HIDDEN, HIDDEN, HIDDEN, 404],
  customerB:       [404,    HIDDEN, HIDDEN, 404],
  addedSub:        [HIDDEN, HIDDEN, HIDDEN, 404],
  otherSub:        [404,    HIDDEN, HIDDEN, 404],
}

function outcome(expected: Expected): string {
  if (expected === OK) return 'allowed'
  if (expected === HIDDEN) return 'hidden'
  return `refused ${expected}`
}

interface Cell {
  actor: ActorKey
  expected: Expected
}

/** One named test per actor for a column: "<actor>: allowed | hidden | refused 403 | refused 404". */
function eachCell(op: Op, body: (cell: Cell) => Promise<void> | void): void {
  for (const actor of actorKeys) {
    const expected = matrix[actor][ops.indexOf(op)] as Expected
    it(`${actors[actor].label}: ${outcome(expected)}`, () => body({ actor, expected }))
  }
}

function eachNoteCell(op: NoteOp, body: (cell: Cell) => Promise<void> | void): void {
  for (const actor of actorKeys) {
    const expected = noteMatrix[actor][noteOps.indexOf(op)] as Expected
    it(`${actors[actor].label}: ${outcome(expected)}`, () => body({ actor, expected }))
  }
}

function refusal(expected: Expected): 403 | 404 {
  if (expected !== 403 && expected !== 404)
    throw new Error(`this column expects OK, 403 or 404, not ${String(expected)}`)
  return expected
}

function visibility(expected: Expected): boolean {
  if (typeof expected !== 'boolean')
    throw new Error(`this column expects OK or HIDDEN, not ${String(expected)}`)
  return expected
}

// ---- the server and the actors ----

let server: RunningServer
const api = {} as Record<ActorKey, Api>
/** Chris Mendes, the second Maple Street contact: the "someone else" who posts the live message. */
let poster: Api
let dir: Awaited<ReturnType<typeof demoDirectory>>

let threadId: string
let firstMessageId: string
let attachmentId: string
const attachmentText = 'Panel options: 200A or 400A. Access matrix fixture.'
/** People created for the add-participant cells: one each for admin and assigned staff, one nobody may add. */
const extra = { admin: '', assignedStaff: '', never: '' }

beforeAll(async () => {
  server = await startServer()
  const signedIn = await Promise.all([
    ...actorKeys.map((k) => signIn(server.url, actors[k].email)),
    signIn(server.url, 'customer3@demo.test'),
  ])
  actorKeys.forEach((k, i) => (api[k] = signedIn[i] as Api))
  poster = signedIn[actorKeys.length] as Api
  dir = await demoDirectory(api.admin)

  for (const key of ['admin', 'assignedStaff', 'never'] as const) {
    const res = await api.admin.post('/admin/people', {
      role: 'subcontractor',
      name: `Matrix Extra ${key}`,
      email: `matrix-extra-${key.toLowerCase()}@demo.test`,
      invite: false,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    extra[key] = PersonResult.parse(res.body).person.id
  }

  // The target: a fresh Maple Street thread started by assigned staff with a file attached...
  const maple = dir.project('Maple')
  const upload = await api.assignedStaff.upload(maple, 'panel-options.txt', attachmentText)
  expect(upload.status, JSON.stringify(upload.body)).toBe(201)
  attachmentId = AttachmentUpload.parse(upload.body).attachment.id
  const created = await api.assignedStaff.post('/threads', {
    clientId: randomUUID(),
    projectId: maple,
    subject: 'Access matrix: panel upgrade',
    body: 'Which panel should we go with? Options attached.',
    attachmentIds: [attachmentId],
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const { thread, message } = ThreadWithMessage.parse(created.body)
  threadId = thread.id
  firstMessageId = message.id
  expect(message.attachments.map((a) => a.id)).toEqual([attachmentId])

  // ...and the subcontractor added through the API, as staff would.
  const added = await api.assignedStaff.post(`/threads/${threadId}/participants`, {
    userId: dir.person('sub@demo.test'),
  })
  expect(added.status, JSON.stringify(added.body)).toBe(201)

  // The premise of the matrix: who is in the thread and who is not.
  const participants = Thread.parse(added.body).participantIds
  for (const email of ['staff@demo.test', 'customer@demo.test', 'sub@demo.test'])
    expect(participants).toContain(dir.person(email))
  for (const email of ['staff2@demo.test', 'customer2@demo.test', 'sub2@demo.test'])
    expect(participants).not.toContain(dir.person(email))
})

afterAll(async () => server?.stop())

// ---- helpers ----

async function joinThreadRoom(who: Api, id: string): Promise<JoinReply> {
  const { socket } = await connectLive(who)
  try {
    return JoinReply.parse(
      await socket.timeout(5000).emitWithAck(clientEvents.join, { room: `thread:${id}` }),
    )
  } finally {
    socket.disconnect()
  }
}

async function download(who: Api, id: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${who.url}/api/v1/attachments/${id}`, {
    headers: { authorization: `Bearer ${who.token}` },
  })
  const text = await res.text()
  let body: unknown = text
  if (res.headers.get('content-type')?.includes('application/json')) body = JSON.parse(text)
  return { status: res.status, body }
}

/** A cell's download of a file: its text where the cell allows it, else the cell's refusal. */
async function expectDownload({ actor, expected }: Cell, fileId: string, text: string) {
  const res = await download(api[actor], fileId)
  if (expected === OK) {
    expect(res.status).toBe(200)
    expect(res.body).toBe(text)
  } else {
    expectRefused(res, refusal(expected), await download(api[actor], randomUUID()))
  }
}

/**
 * A refusal with the table's status and the matching error code, identical (status and body) to
 * the answer for an id that does not exist: no existence oracle.
 */
function expectRefused(
  res: { status: number; body: unknown },
  status: 403 | 404,
  control: { status: number; body: unknown },
): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  expect(ErrorBodySchema.parse(res.body).error.code).toBe(
    status === 404 ? 'NOT_FOUND' : 'FORBIDDEN',
  )
  expect({ status: control.status, body: control.body }).toEqual({
    status: res.status,
    body: res.body,
  })
}

async function feed(who: Api): Promise<ChangesPage> {
  const res = await who.get('/changes?after=0&limit=5000')
  expect(res.status).toBe(200)
  const page = ChangesPage.parse(res.body)
  expect(page.hasMore).toBe(false)
  return page
}

/** The client ids of every message in the thread, as admin sees them. */
async function clientIdsAsAdmin(): Promise<string[]> {
  const res = await api.admin.get(`/threads/${threadId}/messages?limit=500`)
  return MessagePage.parse(res.body).messages.map((m) => m.clientId)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// ---- the matrix, one describe per column ----

describe('list: GET /threads contains the thread', () => {
  eachCell('list', async ({ actor, expected }) => {
    const res = await api[actor].get('/threads?limit=200')
    expect(res.status).toBe(200)
    const list = ThreadList.parse(res.body)
    expect(list.nextCursor).toBeNull()
    expect(list.threads.some((t) => t.id === threadId)).toBe(visibility(expected))
  })
})

describe('get: GET /threads/:id', () => {
  eachCell('get', async ({ actor, expected }) => {
    const res = await api[actor].get(`/threads/${threadId}`)
    if (expected === OK) {
      expect(res.status).toBe(200)
      expect(ThreadSummary.parse(res.body).id).toBe(threadId)
    } else {
      expectRefused(res, refusal(expected), await api[actor].get(`/threads/${randomUUID()}`))
    }
  })
})

describe('messages: GET /threads/:id/messages', () => {
  eachCell('messages', async ({ actor, expected }) => {
    const res = await api[actor].get(`/threads/${threadId}/messages`)
    if (expected === OK) {
      expect(res.status).toBe(200)
      const page = MessagePage.parse(res.body)
      expect(page.messages.map((m) => m.id)).toContain(firstMessageId)
      expect(page.messages.every((m) => m.threadId === threadId)).toBe(true)
    } else {
      expectRefused(
        res,
        refusal(expected),
        await api[actor].get(`/threads/${randomUUID()}/messages`),
      )
    }
  })
})

describe('write: POST /threads/:id/messages', () => {
  eachCell('write', async ({ actor, expected }) => {
    const clientId = randomUUID()
    const res = await api[actor].post(`/threads/${threadId}/messages`, {
      clientId,
      body: `A reply from ${actors[actor].label}.`,
    })
    if (expected === OK) {
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      const { message } = ThreadWithMessage.parse(res.body)
      expect(message.threadId).toBe(threadId)
      expect(message.authorId).toBe(dir.person(actors[actor].email))
    } else {
      expectRefused(
        res,
        refusal(expected),
        await api[actor].post(`/threads/${randomUUID()}/messages`, {
          clientId: randomUUID(),
          body: `A reply from ${actors[actor].label}.`,
        }),
      )
    }
    // Whatever the answer said, the thread holds the message exactly when the write was allowed.
    expect((await clientIdsAsAdmin()).includes(clientId)).toBe(expected === OK)
  })
})

describe("start: POST /threads in the thread's project", () => {
  eachCell('start', async ({ actor, expected }) => {
    const start = (projectId: string) =>
      api[actor].post('/threads', {
        clientId: randomUUID(),
        projectId,
        subject: `A question from ${actors[actor].label}`,
        body: 'May I ask about the schedule?',
      })
    const res = await start(dir.project('Maple'))
    if (expected === OK) {
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      expect(ThreadWithMessage.parse(res.body).thread.projectId).toBe(dir.project('Maple'))
    } else if (expected === 404) {
      // Not theirs to see: answered exactly as a project that does not exist, naming nothing.
      expectRefused(res, 404, await start(randomUUID()))
      expect(JSON.stringify(res.body)).not.toContain('Maple')
    } else {
      // They can see the project (staff, or in one of its threads) but may not start one there.
      expect(res.status, JSON.stringify(res.body)).toBe(403)
      expect(ErrorBodySchema.parse(res.body).error.code).toBe('FORBIDDEN')
    }
  })
})

const participants = async () =>
  Thread.parse((await api.admin.get(`/threads/${threadId}`)).body).participantIds

describe('addParticipant: POST /threads/:id/participants', () => {
  eachCell('addParticipant', async ({ actor, expected }) => {
    const userId = actor === 'admin' || actor === 'assignedStaff' ? extra[actor] : extra.never
    const before = await participants()
    const res = await api[actor].post(`/threads/${threadId}/participants`, { userId })
    if (expected === OK) {
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      expect(Thread.parse(res.body).participantIds).toContain(userId)
      expect((await participants()).sort()).toEqual([...before, userId].sort())
    } else {
      expectRefused(
        res,
        refusal(expected),
        await api[actor].post(`/threads/${randomUUID()}/participants`, { userId }),
      )
      // Whatever the answer said, nobody was added.
      expect(await participants()).toEqual(before)
    }
  })
})

describe('invite: POST /threads/:id/invitations', () => {
  eachCell('invite', async ({ actor, expected }) => {
    const body = {
      name: `Matrix Guest of ${actors[actor].label}`,
      email: `matrix-guest-${actor.toLowerCase()}@studio.test`,
      kind: 'guest',
    }
    const before = (await participants()).sort()
    const res = await api[actor].post(`/threads/${threadId}/invitations`, body)
    if (expected === OK) {
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      const { person, thread } = InvitationResult.parse(res.body)
      expect(thread.participantIds).toContain(person.id)
      expect((await participants()).sort()).toEqual([...before, person.id].sort())
    } else {
      expectRefused(
        res,
        refusal(expected),
        await api[actor].post(`/threads/${randomUUID()}/invitations`, body),
      )
      // Whatever the answer said, nobody was created or added.
      expect((await participants()).sort()).toEqual(before)
      const people = PeopleList.parse((await api.admin.get('/people')).body).people
      expect(people.some((p) => p.email === body.email)).toBe(false)
    }
  })
})

describe('download: GET /attachments/:id of a file in the thread', () => {
  eachCell('download', (cell) => expectDownload(cell, attachmentId, attachmentText))
})

describe("join: socket 'room:join' for thread:<id>", () => {
  eachCell('join', async ({ actor, expected }) => {
    const reply = await joinThreadRoom(api[actor], threadId)
    if (expected === OK) {
      expect(reply).toEqual({ ok: true, room: `thread:${threadId}` })
    } else {
      const status = refusal(expected)
      expect(reply.ok).toBe(false)
      if (reply.ok) return
      expect(statusOf(reply.error.code)).toBe(status)
      // The same refusal as for a thread that does not exist.
      expect(await joinThreadRoom(api[actor], randomUUID())).toEqual(reply)
    }
  })
})

describe('feed: GET /changes?after=0 contains the thread and its messages', () => {
  eachCell('feed', async ({ actor, expected }) => {
    const page = await feed(api[actor])
    const sees = visibility(expected)
    expect(page.changes.threads.some((t) => t.id === threadId)).toBe(sees)
    expect(page.changes.messages.some((m) => m.id === firstMessageId)).toBe(sees)
    if (!sees) {
      // Nothing of the thread at all: no message, no read mark, no file.
      expect(page.changes.messages.filter((m) => m.threadId === threadId)).toEqual([])
      expect(page.changes.reads.filter((r) => r.threadId === threadId)).toEqual([])
      expect(JSON.stringify(page)).not.toContain(attachmentId)
    }
  })
})

// ---- live events and the internal note: all sockets connected first, then one post each ----

describe('live events and internal notes', () => {
  const sockets = new Map<ActorKey, LiveSocket>()
  const publicClientId = randomUUID()
  const noteClientId = randomUUID()
  const noteMarker = 'Quokkamargin internal 30 percent'
  const noteFileText = 'Internal costing: do not share.'
  let noteId: string
  let noteAttachmentId: string

  const events = (actor: ActorKey) => sockets.get(actor)?.changes ?? []
  const gotMessage = (actor: ActorKey, clientId: string) =>
    sockets.get(actor)?.gotMessage(clientId) ?? false

  beforeAll(async () => {
    for (const actor of actorKeys) sockets.set(actor, await connectLive(api[actor]))

    // A public message by someone who is none of the actors...
    const posted = await poster.post(`/threads/${threadId}/messages`, {
      clientId: publicClientId,
      body: 'Live check: we would like the 400A panel.',
    })
    expect(posted.status, JSON.stringify(posted.body)).toBe(201)

    // ...and an internal note with a file, by assigned staff.
    const maple = dir.project('Maple')
    const upload = await api.assignedStaff.upload(maple, 'internal-costing.txt', noteFileText)
    expect(upload.status, JSON.stringify(upload.body)).toBe(201)
    noteAttachmentId = AttachmentUpload.parse(upload.body).attachment.id
    const note = await api.assignedStaff.post(`/threads/${threadId}/messages`, {
      clientId: noteClientId,
      body: `${noteMarker}: keep the 400A upgrade price firm.`,
      internal: true,
      attachmentIds: [noteAttachmentId],
    })
    expect(note.status, JSON.stringify(note.body)).toBe(201)
    noteId = ThreadWithMessage.parse(note.body).message.id
    const postedAt = Date.now()

    // Wait for everyone the tables say gets an event, then keep listening for at least 1500 ms
    // after the last post so that an event a non-recipient should not get has time to arrive.
    const expectedDeliveries = actorKeys.flatMap((actor) => [
      ...(matrix[actor][ops.indexOf('live')] === OK ? [[actor, publicClientId] as const] : []),
      ...(noteMatrix[actor][noteOps.indexOf('live')] === OK
        ? [[actor, noteClientId] as const]
        : []),
    ])
    const deadline = postedAt + 5000
    while (
      Date.now() < deadline &&
      !expectedDeliveries.every(([actor, clientId]) => gotMessage(actor, clientId))
    )
      await sleep(25)
    await sleep(Math.max(0, postedAt + 1500 - Date.now()))
  })

  afterAll(() => {
    for (const live of sockets.values()) live.close()
  })

  describe("live: a connected socket receives the 'changes' event of a new public message", () => {
    eachCell('live', ({ actor, expected }) => {
      const sees = visibility(expected)
      expect(gotMessage(actor, publicClientId)).toBe(sees)
      if (sees) {
        const event = events(actor).find((e) =>
          e.changes.messages.some((m) => m.clientId === publicClientId),
        )
        expect(event?.changes.threads.map((t) => t.id)).toEqual([threadId])
      } else {
        // Not this message, nor anything else about the thread.
        expect(JSON.stringify(events(actor))).not.toContain(threadId)
      }
    })
  })

  describe('internal note: read (GET /threads/:id/messages and /threads/:id)', () => {
    eachNoteCell('read', async ({ actor, expected }) => {
      const res = await api[actor].get(`/threads/${threadId}/messages?limit=500`)
      if (expected === 404) {
        expectRefused(res, 404, await api[actor].get(`/threads/${randomUUID()}/messages`))
        return
      }
      expect(res.status).toBe(200)
      const page = MessagePage.parse(res.body)
      const note = page.messages.find((m) => m.id === noteId)
      if (expected === OK) {
        expect(note?.internal).toBe(true)
        expect(note?.body).toContain(noteMarker)
        expect(note?.attachments.map((a) => a.id)).toEqual([noteAttachmentId])
      } else {
        expect(note).toBeUndefined()
        expect(page.messages.every((m) => !m.internal)).toBe(true)
        const summary = await api[actor].get(`/threads/${threadId}`)
        expect(summary.status).toBe(200)
        expect(JSON.stringify([page, summary.body])).not.toContain(noteMarker)
        expect(JSON.stringify([page, summary.body])).not.toContain(noteAttachmentId)
      }
    })
  })

  describe('internal note: feed (GET /changes?after=0)', () => {
    eachNoteCell('feed', async ({ actor, expected }) => {
      const page = await feed(api[actor])
      const sees = visibility(expected)
      const note = page.changes.messages.find((m) => m.id === noteId)
      expect(note !== undefined).toBe(sees)
      if (sees) expect(note?.internal).toBe(true)
      else {
        expect(page.changes.messages.some((m) => m.internal)).toBe(false)
        const text = JSON.stringify(page)
        expect(text).not.toContain(noteMarker)
        expect(text).not.toContain(noteId)
        expect(text).not.toContain(noteAttachmentId)
      }
    })
  })

  describe("internal note: live 'changes' event", () => {
    eachNoteCell('live', ({ actor, expected }) => {
      const sees = visibility(expected)
      expect(gotMessage(actor, noteClientId)).toBe(sees)
      if (!sees) {
        const text = JSON.stringify(events(actor))
        expect(text).not.toContain(noteMarker)
        expect(text).not.toContain(noteId)
        expect(text).not.toContain(noteAttachmentId)
      }
    })
  })

  describe("internal note: download of the note's file", () => {
    eachNoteCell('download', (cell) => expectDownload(cell, noteAttachmentId, noteFileText))
  })
})
