import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IpcEvents } from '../../src/shared/ipc'
import { startThread } from '../support/api'
import { demoPdf } from '../../server/src/demo/seed'
import { openEngine, type TestEngine } from '../support/engine'
import { serverForFile } from '../support/file-server'

/**
 * The methods the contract gained with the inbox UI, against the real portal server: admin
 * settings, projects and people (an admin's engine, and a staff member refused), attachment bytes
 * and opening, and the unread mark that exists only on this desktop.
 */

const portal = serverForFile({
  people: { admin: 'admin@demo.test', carla: 'customer@demo.test' },
  viaProxy: true,
})
/** Ada, the demo admin, through a proxy that can cut her off; no shell to open files with. */
let ada: TestEngine
/** Sam, staff, with a recording stand-in for shell.openPath. */
let sam: TestEngine

/** Carla asks on Maple; answers once Sam's engine has the conversation. */
const carlaAsks = (subject: string, body: string) =>
  sam.sees(startThread(portal.carla, portal.dir.project('Maple'), subject, body))
const opened: string[] = []

beforeAll(async () => {
  ;[ada, sam] = await Promise.all([
    openEngine(),
    openEngine({
      openPath: async (file) => {
        opened.push(file)
        return true
      },
    }),
  ])
  await Promise.all([
    ada.api.signIn({
      serverUrl: portal.proxy.url,
      email: 'admin@demo.test',
      password: 'portal-demo',
    }),
    sam.api.signIn({
      serverUrl: portal.server.url,
      email: 'staff@demo.test',
      password: 'portal-demo',
    }),
  ])
  for (const e of [ada, sam])
    await e.until(async () => (await e.api.getConnection({})).state === 'online', 'online')
})

afterAll(async () => {
  await ada?.close()
  await sam?.close()
})

/** Collects `changed` events from now on. */
function changes(e: TestEngine): { list: IpcEvents['changed'][]; stop(): void } {
  const list: IpcEvents['changed'][] = []
  const stop = e.engine.events.on('changed', (c) => list.push(c))
  return { list, stop }
}

describe('admin methods', () => {
  it('reads and changes the Client Portal settings; the cache has the change when the call resolves', async () => {
    const settings = await ada.api.getCompanySettings({})
    expect(settings.maxFileBytes).toBeGreaterThan(0)
    expect(settings.allowedFileTypes).toContain('pdf')

    const seen = changes(ada)
    const updated = await ada.api.updateCompanySettings({
      expectedResponseTime: 'We reply within two hours on weekdays.',
      urgentKeywords: ['leak', 'flood', 'no heat'],
    })
    seen.stop()
    expect(updated.expectedResponseTime).toBe('We reply within two hours on weekdays.')
    expect(updated.maxFileBytes).toBe(settings.maxFileBytes)
    expect(seen.list.some((c) => c.settings)).toBe(true)
    expect(await ada.api.getSettings({})).toMatchObject({
      expectedResponseTime: 'We reply within two hours on weekdays.',
      urgentKeywords: ['leak', 'flood', 'no heat'],
    })
    // Staff get the full settings too, through the same feed.
    await sam.until(
      async () =>
        (await sam.api.getSettings({}))?.expectedResponseTime ===
        'We reply within two hours on weekdays.',
      'settings reach Sam',
    )
  })

  it('creates and renames a project and a person, each in the cache before the call resolves', async () => {
    const seen = changes(ada)
    const project = await ada.api.createProject({
      name: 'Birch Lane Addition',
      stage: 'pre-construction',
      teamIds: [portal.dir.person('staff@demo.test')],
    })
    expect(project).toMatchObject({ name: 'Birch Lane Addition', stage: 'pre-construction' })
    expect((await ada.api.listProjects({})).map((p) => p.name)).toContain('Birch Lane Addition')
    expect(seen.list.some((c) => c.projects)).toBe(true)

    const renamed = await ada.api.updateProject({
      projectId: project.id,
      patch: { name: 'Birch Lane Addition & Deck', stage: 'construction' },
    })
    expect(renamed.name).toBe('Birch Lane Addition & Deck')
    expect((await ada.api.listProjects({})).find((p) => p.id === project.id)).toMatchObject({
      name: 'Birch Lane Addition & Deck',
      stage: 'construction',
    })

    const email = `dana.${randomUUID().slice(0, 8)}@example.test`
    const person = await ada.api.createPerson({
      role: 'customer',
      name: 'Dana Fox',
      email: email.toUpperCase(),
      projectIds: [project.id],
      invite: false,
    })
    expect(person).toMatchObject({ name: 'Dana Fox', email, role: 'customer' })
    expect((await ada.api.listPeople({})).map((p) => p.name)).toContain('Dana Fox')
    expect(seen.list.some((c) => c.people)).toBe(true)
    const updated = await ada.api.updatePerson({
      personId: person.id,
      patch: { name: 'Dana Fox-Lee', portalAccess: false },
    })
    expect(updated).toMatchObject({ name: 'Dana Fox-Lee', portalAccess: false })
    expect((await ada.api.listPeople({})).find((p) => p.id === person.id)).toMatchObject({
      name: 'Dana Fox-Lee',
      portalAccess: false,
    })
    seen.stop()

    // The server's refusals come through with its code and sentence.
    await expect(
      ada.api.createPerson({ role: 'customer', name: 'Dana Again', email, invite: false }),
    ).rejects.toMatchObject({ code: 'EMAIL_TAKEN', message: expect.any(String) })
    await expect(
      ada.api.updateProject({ projectId: randomUUID(), patch: { name: 'Nowhere' } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // Checked before anything is sent.
    await expect(ada.api.updateProject({ projectId: project.id, patch: {} })).rejects.toMatchObject(
      { code: 'INVALID_INPUT' },
    )
  })

  it('refuses staff with the server’s FORBIDDEN', async () => {
    const projectId = portal.dir.project('Maple')
    for (const call of [
      () => sam.api.getCompanySettings({}),
      () => sam.api.updateCompanySettings({ expectedResponseTime: 'Whenever' }),
      () => sam.api.createProject({ name: 'Sam’s project', stage: 'lead' }),
      () => sam.api.updateProject({ projectId, patch: { name: 'Renamed by Sam' } }),
      () =>
        sam.api.createPerson({
          role: 'staff',
          name: 'Sam’s friend',
          email: 'friend@example.test',
        }),
      () =>
        sam.api.updatePerson({
          personId: portal.dir.person('staff@demo.test'),
          patch: { role: 'admin' },
        }),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining('Only admins'),
      })
    }
    const projects = (await portal.admin.get('/projects')).body.projects as {
      id: string
      name: string
    }[]
    expect(projects.find((p) => p.id === projectId)?.name).not.toBe('Renamed by Sam')
  })

  it('says admin changes need a connection when offline, and works again once back', async () => {
    portal.proxy.set('refuse')
    try {
      await ada.until(async () => (await ada.api.getConnection({})).state === 'offline', 'offline')
      for (const call of [
        () => ada.api.getCompanySettings({}),
        () => ada.api.createProject({ name: 'Offline project', stage: 'lead' }),
      ])
        await expect(call()).rejects.toMatchObject({
          code: 'OFFLINE',
          message: expect.stringMatching(/admin changes need a connection/i),
        })
    } finally {
      portal.proxy.set('pass')
    }
    await ada.until(
      async () => (await ada.api.getConnection({})).state === 'online',
      'online again',
      20_000,
    )
    expect((await ada.api.getCompanySettings({})).allowedFileTypes).toContain('pdf')
  })
})

describe('attachments', () => {
  const bytes = new Uint8Array(demoPdf('Window schedule, rev 3'))
  let attachmentId: string

  beforeAll(async () => {
    const projectId = portal.dir.project('Maple')
    const upload = await portal.carla.upload(projectId, 'window-schedule.pdf', bytes)
    expect(upload.status).toBe(201)
    const threadId = await sam.sees(
      startThread(portal.carla, projectId, 'Window schedule', 'Here is the revised schedule.', {
        attachmentIds: [upload.body.attachment.id],
      }),
    )
    const detail = await sam.api.openThread({ threadId: threadId })
    attachmentId = detail.messages[0]!.attachments[0]!.id
  })

  it('reads the bytes the customer uploaded, downloading them first', async () => {
    const read = await sam.api.readAttachment({ attachmentId })
    expect(read.attachment.name).toBe('window-schedule.pdf')
    expect(read.bytes).toBeInstanceOf(Uint8Array)
    expect(Buffer.from(read.bytes).equals(Buffer.from(bytes))).toBe(true)
    // Cached now: the same bytes again.
    expect(
      Buffer.from((await sam.api.readAttachment({ attachmentId })).bytes).equals(
        Buffer.from(bytes),
      ),
    ).toBe(true)
  })

  it('refuses to read a file over 50 MB into the page, before downloading anything', async () => {
    const attachment = sam.engine.files.attachment(attachmentId)!
    await expect(
      sam.engine.files.read(null, { ...attachment, size: 60 * 1024 * 1024 }),
    ).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: expect.stringContaining('Use Open or Download instead'),
    })
  })

  it('opens a copy named after the file with the system’s app, or gives its path without one', async () => {
    const withShell = await sam.api.openAttachment({ attachmentId })
    expect(withShell.opened).toBe(true)
    expect(path.basename(withShell.path)).toBe('window-schedule.pdf')
    expect(opened).toEqual([withShell.path])
    expect((await fs.readFile(withShell.path)).equals(Buffer.from(bytes))).toBe(true)

    // Ada's engine has no shell (a headless host): the file is there, nothing is opened.
    await ada.until(() => ada.engine.files.attachment(attachmentId), 'attachment reaches Ada')
    const headless = await ada.api.openAttachment({ attachmentId })
    expect(headless.opened).toBe(false)
    expect((await fs.readFile(headless.path)).equals(Buffer.from(bytes))).toBe(true)

    await expect(sam.api.openAttachment({ attachmentId: randomUUID() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
  })
})

describe('marked unread on this desktop', () => {
  it('counts in the unread view and the badge until the thread is opened or read', async () => {
    const threadId = await carlaAsks('Mark me unread', 'A question about the deck stain.')
    const detail = await sam.api.openThread({ threadId: threadId })
    await sam.api.markRead({ messageIds: detail.messages.map((m) => m.id) })
    await sam.until(async () => (await sam.api.listOutbox({})).length === 0, 'read marks sent')
    const before = (await sam.api.viewCounts({})).views.unread
    const badgeBefore = (await sam.api.setFocus({ threadId: null, windowFocused: false })).badge

    const changed = sam.next('changed', (c) => c.threadIds.includes(threadId))
    const badge = sam.next('badge', (b) => b.unread === badgeBefore + 1)
    expect(await sam.api.markUnread({ threadIds: [threadId, randomUUID()] })).toEqual({
      marked: 1,
    })
    await Promise.all([changed, badge])
    expect((await sam.api.viewCounts({})).views.unread).toBe(before + 1)
    const unread = await sam.api.listThreads({ view: 'unread', limit: 500 })
    expect(unread.threads.find((t) => t.id === threadId)?.unreadCount).toBe(1)
    // Nothing goes to the portal.server.
    expect(await sam.api.listOutbox({})).toEqual([])

    // Scrolling back through an open thread does not clear it; opening it does.
    await sam.api.openThread({ threadId: threadId, before: Number.MAX_SAFE_INTEGER })
    expect((await sam.api.viewCounts({})).views.unread).toBe(before + 1)
    const cleared = sam.next('badge', (b) => b.unread === badgeBefore)
    const reopened = await sam.api.openThread({ threadId: threadId })
    await cleared
    expect(reopened.thread.unreadCount).toBe(0)
    expect((await sam.api.viewCounts({})).views.unread).toBe(before)

    // Reading any of its messages clears it too.
    await sam.api.markUnread({ threadIds: [threadId] })
    expect((await sam.api.viewCounts({})).views.unread).toBe(before + 1)
    expect(await sam.api.markRead({ messageIds: [detail.messages[0]!.id] })).toEqual({
      marked: 1,
    })
    expect((await sam.api.viewCounts({})).views.unread).toBe(before)
    expect(sam.engine.store.unreadTotal()).toBe(badgeBefore)
  })
})

describe('insights', () => {
  it('are computed from the cache through the handler map, for a range and for one project', async () => {
    const week = await sam.api.insights({ days: 7 })
    expect(week.messagesPerDay).toHaveLength(7)
    // The customer messages this file posted are in it.
    expect(week.messagesPerDay.reduce((n, d) => n + d.customer, 0)).toBeGreaterThanOrEqual(2)
    expect(week.byProject.map((p) => p.name)).toContain('Maple Street Remodel')
    const maple = await sam.api.insights({ projectId: portal.dir.project('Maple') })
    expect(maple.messagesPerDay).toHaveLength(30)
    expect(maple.byProject.map((p) => p.name)).toEqual(['Maple Street Remodel'])
    await expect(sam.api.insights({ days: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
