import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import {
  AttachmentUpload,
  SearchResult,
  Thread,
  ThreadList,
  ThreadWithMessage,
} from '../../src/shared/protocol'
import { demoPdf, demoPng } from '../../server/src/demo/seed'
import { type Api, signIn } from '../support/api'
import { serverSuite } from '../support/fixtures'
import { testClock } from '../support/clock'

const it = serverSuite({}, (base) =>
  base
    /** A conversation Carla starts on Maple Street, by its id, for the triage cases to move. */
    .extend(
      'carlasThread',
      { scope: 'file' },
      ({ carla, newThread }) =>
        async (subject: string, body: string) =>
          ThreadWithMessage.parse((await newThread(carla, { subject, body })).body).thread.id,
    ),
)

/** The ids of the threads in one of staff's views. */
const idsIn = async (staff: Api, view: string) =>
  ThreadList.parse((await staff.get(`/threads?view=${view}&limit=200`)).body).threads.map(
    (t) => t.id,
  )

describe('attachments', () => {
  it('uploads, attaches to a message and downloads byte for byte with safe headers', async ({
    server,
    sam: staff,
    carla,
    dir,
    newThread,
  }) => {
    const png = demoPng([10, 20, 30])
    const clientId = randomUUID()
    const up = await carla.upload(dir.project('Maple'), 'Kitchen élévation.png', png, clientId)
    expect(up.status).toBe(201)
    const { attachment } = AttachmentUpload.parse(up.body)
    expect(attachment).toMatchObject({
      name: 'Kitchen élévation.png',
      size: png.length,
      contentType: 'image/png',
      messageId: null,
    })

    // A retried upload with the same client id returns the first one.
    const retry = await carla.upload(dir.project('Maple'), 'Kitchen élévation.png', png, clientId)
    expect(retry.status).toBe(200)
    expect(AttachmentUpload.parse(retry.body).attachment.id).toBe(attachment.id)

    const sent = await newThread(carla, {
      subject: 'Elevation drawing',
      body: 'See attached.',
      attachmentIds: [attachment.id],
    })
    expect(sent.status).toBe(201)
    expect(ThreadWithMessage.parse(sent.body).message.attachments.map((a) => a.id)).toEqual([
      attachment.id,
    ])

    const res = await fetch(`${server.url}/api/v1/attachments/${attachment.id}`, {
      headers: { authorization: `Bearer ${staff.token}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Kitchen _l_vation.png"; filename*=UTF-8''${encodeURIComponent('Kitchen élévation.png')}`,
    )
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true)

    // Attached once, it cannot be attached again elsewhere.
    const reuse = await newThread(carla, {
      subject: 'Again',
      body: 'Same file',
      attachmentIds: [attachment.id],
    })
    expect(reuse.status).toBe(400)
    expect(reuse.body.error.code).toBe('ATTACHMENT_NOT_AVAILABLE')
  })

  it('an upload not yet sent is visible to its uploader only', async ({
    sam: staff,
    carla,
    dir,
  }) => {
    const { attachment } = AttachmentUpload.parse(
      (await carla.upload(dir.project('Maple'), 'draft.pdf', demoPdf('draft'))).body,
    )
    expect((await carla.get(`/attachments/${attachment.id}`)).status).toBe(200)
    expect((await staff.get(`/attachments/${attachment.id}`)).status).toBe(404)
  })

  it('enforces the per-message total and the project storage quota, naming the limits', async ({
    admin,
    carla,
    dir,
    newThread,
  }) => {
    await admin.patch('/admin/settings', { maxMessageBytes: 4096 })
    try {
      const ids = []
      for (let i = 0; i < 3; i++)
        ids.push(
          AttachmentUpload.parse(
            (
              await carla.upload(
                dir.project('Maple'),
                `part-${i}.pdf`,
                demoPdf(`part ${i} ${'x'.repeat(1200)}`),
              )
            ).body,
          ).attachment.id,
        )
      const res = await newThread(carla, {
        subject: 'Three parts',
        body: 'All three',
        attachmentIds: ids,
      })
      expect(res.status).toBe(413)
      expect(res.body.error.code).toBe('MESSAGE_ATTACHMENTS_TOO_LARGE')
      expect(res.body.error.message).toContain('4 KB')
    } finally {
      await admin.patch('/admin/settings', { maxMessageBytes: 50 * 1024 * 1024 })
    }

    const projects = (await admin.get('/projects')).body.projects as {
      id: string
      storageUsedBytes: number
    }[]
    const used = projects.find((p) => p.id === dir.project('Maple'))?.storageUsedBytes ?? 0
    expect(used).toBeGreaterThan(0)
    await admin.patch('/admin/settings', { projectQuotaBytes: Math.max(1024, used + 100) })
    try {
      const res = await carla.upload(dir.project('Maple'), 'big.pdf', demoPdf('y'.repeat(4000)))
      expect(res.status).toBe(413)
      expect(res.body.error.code).toBe('PROJECT_STORAGE_FULL')
      expect(res.body.error.message).toMatch(/storage/)
    } finally {
      await admin.patch('/admin/settings', { projectQuotaBytes: 2 * 1024 ** 3 })
    }
  })
})

describe('search', () => {
  let threadId: string
  it.beforeAll(async ({ carla, dir, newThread }) => {
    const { attachment } = AttachmentUpload.parse(
      (await carla.upload(dir.project('Maple'), 'quartz-countertop-sample.pdf', demoPdf('sample')))
        .body,
    )
    const res = await newThread(carla, {
      subject: 'Countertop choice',
      body: 'We love the calacatta pattern for the island.',
      attachmentIds: [attachment.id],
      urgent: true,
    })
    threadId = ThreadWithMessage.parse(res.body).thread.id
  })

  it('finds a message by a word of its body, with the hit highlighted as a part, not as markup', async ({
    sam: staff,
  }) => {
    const { hits } = SearchResult.parse((await staff.get('/search?q=calacatta')).body)
    expect(hits).toHaveLength(1)
    expect(hits[0]?.threadId).toBe(threadId)
    expect(hits[0]?.snippet.find((p) => p.hit)?.text.toLowerCase()).toBe('calacatta')
  })

  it('finds a message by a word in an attachment name, a prefix, and the subject', async ({
    sam: staff,
  }) => {
    expect(
      SearchResult.parse((await staff.get('/search?q=quartz')).body).hits.map((h) => h.threadId),
    ).toEqual([threadId])
    expect(
      SearchResult.parse((await staff.get('/search?q=calac*')).body).hits.map((h) => h.threadId),
    ).toEqual([threadId])
    expect(
      SearchResult.parse((await staff.get('/search?q=countertop')).body).hits.map(
        (h) => h.threadId,
      ),
    ).toContain(threadId)
  })

  it('applies the operators', async ({ sam: staff }) => {
    const ids = async (q: string) =>
      SearchResult.parse((await staff.get(`/search?q=${encodeURIComponent(q)}`)).body).hits.map(
        (h) => h.threadId,
      )
    expect(await ids('from:carla calacatta')).toEqual([threadId])
    expect(await ids('from:sam calacatta')).toEqual([])
    expect(await ids('project:maple calacatta')).toEqual([threadId])
    expect(await ids('project:oak calacatta')).toEqual([])
    expect(await ids('has:attachment calacatta')).toEqual([threadId])
    expect(await ids('is:urgent calacatta')).toEqual([threadId])
    expect(await ids('is:unread calacatta')).toEqual([threadId])
    const today = testClock.iso().slice(0, 10)
    expect(await ids(`after:${today} calacatta`)).toEqual([threadId])
    expect(await ids(`before:${today} calacatta`)).toEqual([])
    expect(await ids('"island calacatta"')).toEqual([])
    expect(await ids('"calacatta pattern"')).toEqual([threadId])
  })

  it('only searches what the caller may see, and empty input finds nothing', async ({
    server,
    sam: staff,
  }) => {
    const ben = await signIn(server.url, 'customer2@demo.test')
    expect(SearchResult.parse((await ben.get('/search?q=calacatta')).body).hits).toEqual([])
    expect(SearchResult.parse((await staff.get('/search?q=')).body).hits).toEqual([])
  })
})

describe('triage', () => {
  it('assigns, snoozes, closes, and the views follow', async ({
    sam: staff,
    carla,
    dir,
    carlasThread,
  }) => {
    const id = await carlasThread('Triage me', 'Please look at this.')
    const samId = dir.person('staff@demo.test')
    const view = (v: string) => idsIn(staff, v)

    expect(await view('waiting')).toContain(id)
    const assigned = Thread.parse((await staff.patch(`/threads/${id}`, { assigneeId: samId })).body)
    expect(assigned.assigneeId).toBe(samId)
    expect(await view('assigned')).toContain(id)

    const until = new Date(testClock.now() + 3600_000).toISOString()
    expect(
      Thread.parse((await staff.patch(`/threads/${id}`, { snoozedUntil: until })).body)
        .snoozedUntil,
    ).toBe(until)
    expect(await view('snoozed')).toContain(id)
    // A customer writing again wakes the thread.
    await carla.post(`/threads/${id}/messages`, { clientId: randomUUID(), body: 'Any news?' })
    expect(await view('snoozed')).not.toContain(id)

    await staff.patch(`/threads/${id}`, { status: 'closed' })
    expect(await view('closed')).toContain(id)
    expect(await view('waiting')).not.toContain(id)

    // Customers never see the triage fields.
    const forCarla = (await carla.get(`/threads/${id}`)).body
    expect(forCarla.assigneeId).toBeNull()
    expect(forCarla.snoozedUntil).toBeNull()
    // And cannot triage.
    expect((await carla.patch(`/threads/${id}`, { status: 'open' })).status).toBe(403)
    // Only staff can be assigned.
    expect(
      (await staff.patch(`/threads/${id}`, { assigneeId: dir.person('customer@demo.test') }))
        .status,
    ).toBe(400)
  })

  it('a thread set waiting on the customer is not waiting on us; reopened, it waits again', async ({
    sam: staff,
    carlasThread,
  }) => {
    const id = await carlasThread('Whose turn is it', 'Which tiles did we agree on?')
    const waiting = () => idsIn(staff, 'waiting')
    expect(await waiting()).toContain(id)
    const since = Thread.parse((await staff.get(`/threads/${id}`)).body).waitingSince
    expect(since).not.toBeNull()
    await staff.patch(`/threads/${id}`, { status: 'waiting-on-customer' })
    expect(await waiting()).not.toContain(id)
    // The customer's question is still unanswered: open again, the thread waits since then.
    const reopened = Thread.parse((await staff.patch(`/threads/${id}`, { status: 'open' })).body)
    expect(reopened.waitingSince).toBe(since)
    expect(await waiting()).toContain(id)
  })

  it('assigning someone who is not on the project adds them, so they can read it', async ({
    server,
    sam: staff,
    dir,
    carlasThread,
  }) => {
    const id = await carlasThread('For Tess', 'Tess knows this.')
    const tess = await signIn(server.url, 'staff2@demo.test')
    expect((await tess.get(`/threads/${id}`)).status).toBe(404)
    await staff.patch(`/threads/${id}`, { assigneeId: dir.person('staff2@demo.test') })
    expect((await tess.get(`/threads/${id}`)).status).toBe(200)
  })
})

describe('OpenAPI', () => {
  it('is generated from the shared schemas and lists every route', async ({ server }) => {
    const res = await fetch(`${server.url}/api/v1/openapi.json`)
    expect(res.status).toBe(200)
    const doc = (await res.json()) as {
      openapi: string
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<string, { schema: { properties?: Record<string, unknown> } }>
            }
          }
        >
      >
    }
    expect(doc.openapi).toMatch(/^3\./)
    for (const path of [
      '/api/v1/auth/sign-in',
      '/api/v1/threads',
      '/api/v1/threads/{threadId}/messages',
      '/api/v1/changes',
      '/api/v1/search',
      '/api/v1/projects/{projectId}/attachments',
      '/api/v1/admin/settings',
    ]) {
      expect(doc.paths[path], path).toBeDefined()
    }
    const create =
      doc.paths['/api/v1/threads']?.post?.requestBody?.content['application/json']?.schema
        .properties ?? {}
    expect(Object.keys(create)).toEqual(
      expect.arrayContaining(['clientId', 'projectId', 'subject', 'body', 'attachmentIds']),
    )
  })
})
