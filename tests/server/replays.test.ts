import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import {
  AttachmentUpload,
  ErrorBodySchema,
  ReadResult,
  ThreadWithMessage,
} from '../../src/shared/protocol'
import { serverSuite } from '../support/fixtures'

/**
 * Idempotent creates answer a repeat of the same client id with the original result: the retry of
 * a request whose answer was lost. The repeat is a new request, though, and is judged by who the
 * caller is now: the right to see comes first, and the answer holds only what they may still see.
 * And a project the caller may not see is answered as missing, in words that name nothing.
 */

const it = serverSuite()

const error = (body: unknown) => ErrorBodySchema.parse(body).error

describe('a replayed create after the caller lost the thread', () => {
  it('answers 404 for the thread, its reply, its upload and its read marks, and shows nothing written since', async ({
    sam,
    carla,
    dir,
  }) => {
    const maple = dir.project('Maple')
    const create = {
      clientId: randomUUID(),
      projectId: maple,
      subject: 'Back porch railing',
      body: 'Can the railing be black instead of white?',
    }
    const first = await carla.post('/threads', create)
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    const { thread, message } = ThreadWithMessage.parse(first.body)

    const fileClientId = randomUUID()
    const upload = await carla.upload(maple, 'railing.txt', 'black, 36 inches', fileClientId)
    expect(upload.status, JSON.stringify(upload.body)).toBe(201)
    const file = AttachmentUpload.parse(upload.body).attachment
    const replyBody = {
      clientId: randomUUID(),
      body: 'Here is the height we want.',
      attachmentIds: [file.id],
    }
    expect((await carla.post(`/threads/${thread.id}/messages`, replyBody)).status).toBe(201)
    const staffAnswer = await sam.post(`/threads/${thread.id}/messages`, {
      clientId: randomUUID(),
      body: 'Black works; we will order it.',
    })
    const answerId = ThreadWithMessage.parse(staffAnswer.body).message.id
    expect((await carla.post('/reads', { messageIds: [answerId] })).status).toBe(200)

    // While she is in the thread, the replay is the original, as she may see it now: a staff
    // note written since is not her preview.
    await sam.post(`/threads/${thread.id}/messages`, {
      clientId: randomUUID(),
      body: 'Internal: black costs 12 percent more.',
      internal: true,
    })
    const again = await carla.post('/threads', create)
    expect(again.status).toBe(200)
    const replayed = ThreadWithMessage.parse(again.body)
    expect(replayed.message.id).toBe(message.id)
    expect(JSON.stringify(again.body)).not.toContain('12 percent')

    // Staff take her out of the thread, then write in it.
    const removed = await sam.delete(
      `/threads/${thread.id}/participants/${dir.person('customer@demo.test')}`,
    )
    expect(removed.status, JSON.stringify(removed.body)).toBe(200)
    const later = 'Railing delivery moved to Friday, after your removal.'
    await sam.post(`/threads/${thread.id}/messages`, { clientId: randomUUID(), body: later })

    const replays = [
      await carla.post('/threads', create),
      await carla.post(`/threads/${thread.id}/messages`, replyBody),
      await carla.upload(maple, 'railing.txt', 'black, 36 inches', fileClientId),
    ]
    for (const res of replays) {
      expect(res.status, JSON.stringify(res.body)).toBe(404)
      expect(error(res.body).code).toBe('NOT_FOUND')
      expect(JSON.stringify(res.body)).not.toContain(later)
      expect(JSON.stringify(res.body)).not.toContain('Friday')
      expect(JSON.stringify(res.body)).not.toContain(thread.id)
    }
    // Marking read again hands back no read mark of a thread she no longer sees.
    const reads = await carla.post('/reads', { messageIds: [answerId] })
    expect(reads.status).toBe(200)
    expect(ReadResult.parse(reads.body).reads).toEqual([])
  })

  it('a replay with other content is still a conflict while the thread is visible, and names only what she sees', async ({
    carla,
    dir,
  }) => {
    const create = {
      clientId: randomUUID(),
      projectId: dir.project('Maple'),
      subject: 'Mailbox post',
      body: 'Where does the mailbox go?',
    }
    expect((await carla.post('/threads', create)).status).toBe(201)
    const conflict = await carla.post('/threads', { ...create, body: 'Something else entirely' })
    expect(conflict.status).toBe(409)
    expect(error(conflict.body).code).toBe('CLIENT_ID_CONFLICT')
  })
})

describe('a project the caller may not see', () => {
  it('is answered 404 in words that name nothing, the same as a project that does not exist', async ({
    ben,
    dir,
  }) => {
    const maple = dir.project('Maple')
    const missing = randomUUID()
    const start = (projectId: string) =>
      ben.post('/threads', {
        clientId: randomUUID(),
        projectId,
        subject: 'Hello',
        body: 'Is anyone there?',
      })
    const [hidden, absent] = [await start(maple), await start(missing)]
    const [hiddenUpload, absentUpload] = [
      await ben.upload(maple, 'plan.txt', 'a plan'),
      await ben.upload(missing, 'plan.txt', 'a plan'),
    ]
    for (const res of [hidden, absent, hiddenUpload, absentUpload]) {
      expect(res.status, JSON.stringify(res.body)).toBe(404)
      expect(error(res.body).code).toBe('NOT_FOUND')
      expect(JSON.stringify(res.body)).not.toMatch(/Maple|Street|Remodel/)
    }
    expect(error(hidden.body).message).toBe(error(absent.body).message)
    expect(error(hiddenUpload.body).message).toBe(error(absentUpload.body).message)
  })
})
