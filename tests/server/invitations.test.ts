import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import {
  ChangesPage,
  ErrorBodySchema,
  InvitationResult,
  MessagePage,
  PeopleList,
  ProjectList,
  SearchResult,
  Session,
  ThreadList,
} from '../../src/shared/protocol'
import { Api, signIn, startThread } from '../support/api'
import { addCompany } from '../support/companies'
import { serverSuite } from '../support/fixtures'
import { emlMails, setPasswordLink, waitForEml } from '../support/mail'

/**
 * Issue 12, "invite an outsider into one thread": staff invite an architect by email into one
 * Maple Street conversation. What the server must do, and never do: the person it creates, the
 * mail and its link, what the guest then sees (exactly that thread: list, get, feed, search,
 * live), who may invite, resends and their limit, existing people of the company, trades and the
 * company's setting, and an address that belongs to another company.
 */

/** The conversation the architect is invited into, and one of the same project she must not see. */
let kitchen: string
let tile: string

const ANNA = 'anna@studio-nord.test'
const code = (body: unknown) => ErrorBodySchema.parse(body).error.code
const message = (body: unknown) => ErrorBodySchema.parse(body).error.message
const invite = (who: Api, threadId: string, body: Record<string, unknown>) =>
  who.post(`/threads/${threadId}/invitations`, body)
/** How long a mail or a live push may take: 400 polls 25 ms apart, as the suite always allowed. */
const inTime = { timeout: 10_000, interval: 25 }

const it = serverSuite({}, (base) =>
  base
    /** A new conversation on Maple Street, which only its contacts and team may start. */
    .extend(
      'startInMaple',
      { scope: 'file' },
      ({ newThread }) =>
        (who: Api) =>
          newThread(who, { subject: 'Lighting plan', body: 'A new question.' }),
    )
    .extend(
      'participants',
      { scope: 'file' },
      ({ admin }) =>
        async (threadId: string) =>
          ((await admin.get(`/threads/${threadId}`)).body.participantIds as string[])
            .slice()
            .sort(),
    )
    .extend(
      'personByEmail',
      { scope: 'file' },
      ({ admin }) =>
        async (email: string) =>
          PeopleList.parse((await admin.get('/people')).body).people.find((p) => p.email === email),
    ),
)

it.beforeAll(async ({ sam, dir }) => {
  kitchen = await startThread(
    sam,
    dir.project('Maple'),
    'Kitchen island layout',
    'We are looking at moving the island 40 cm towards the window. Drawings to follow.',
  )
  const threads = ThreadList.parse((await sam.get('/threads?limit=100')).body).threads
  tile = threads.find((t) => t.subject.startsWith('Tile selection'))!.id
})

describe('inviting an architect by email into one conversation', () => {
  let anna: Api
  let annaId: string

  it('creates her as a guest with portal access, adds her, and every staff cache hears of it live', async ({
    admin,
    sam,
    live,
    participants,
  }) => {
    const [samLive, adminLive] = [await live(sam), await live(admin)]
    const before = await participants(kitchen)

    const res = await invite(sam, kitchen, { name: 'Anna Berg', email: ANNA, kind: 'guest' })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const result = InvitationResult.parse(res.body)
    annaId = result.person.id
    expect(result).toMatchObject({
      existing: false,
      mailed: 'set-password-link',
      person: { name: 'Anna Berg', email: ANNA, role: 'customer', portalAccess: true },
    })
    expect(result.person.passwordSet).toBe(false)
    expect(result.thread.participantIds.slice().sort()).toEqual([...before, annaId].sort())
    expect(await participants(kitchen)).toEqual([...before, annaId].sort())

    // The feed and the live rooms carry her and the thread that now names her.
    for (const socket of [samLive, adminLive])
      await expect
        .poll(
          () =>
            socket.changes.some((e) =>
              e.changes.threads.some((t) => t.id === kitchen && t.participantIds.includes(annaId)),
            ) &&
            socket.changes.some((e) =>
              e.changes.people.some((p) => p.id === annaId && p.passwordSet === false),
            ),
          { ...inTime, message: 'the new participant live' },
        )
        .toBe(true)
    const feed = ChangesPage.parse((await sam.get('/changes?after=0&limit=5000')).body)
    expect(feed.changes.people.find((p) => p.id === annaId)?.name).toBe('Anna Berg')
  })

  it('mails her an invitation naming the thread and who invited her, with a link that opens the thread', async ({
    server,
  }) => {
    const mail = await waitForEml(server.dataDir, 'invitation', ANNA)
    expect(mail.subject).toBe(
      'Sam Rivera at Harbor & Pine Builders invited you to “Kitchen island layout”',
    )
    expect(mail.text).toContain('Hello Anna Berg,')
    expect(mail.text).toContain(
      'Sam Rivera at Harbor & Pine Builders invited you to a conversation in their client portal:',
    )
    expect(mail.text).toContain('“Kitchen island layout” (Maple Street Remodel).')
    expect(mail.text).toContain('the link works for 14 days')
    const { url } = setPasswordLink(mail)
    expect(url.pathname).toBe('/portal/set-password')
    expect(url.searchParams.get('thread')).toBe(kitchen)
  })

  it('inviting her again resends the link; she is in the thread once', async ({ server, sam }) => {
    const first = setPasswordLink(await waitForEml(server.dataDir, 'invitation', ANNA)).token
    const res = await invite(sam, kitchen, { name: 'Anna B.', email: ANNA, kind: 'guest' })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const result = InvitationResult.parse(res.body)
    // Her account as it is: the name typed the second time does not rename her.
    expect(result).toMatchObject({ existing: true, mailed: 'set-password-link' })
    expect(result.person.name).toBe('Anna Berg')
    expect(result.thread.participantIds.filter((id) => id === annaId)).toHaveLength(1)
    const second = await waitForEml(
      server.dataDir,
      'invitation',
      ANNA,
      (m) => setPasswordLink(m).token !== first,
    )
    expect(setPasswordLink(second).url.searchParams.get('thread')).toBe(kitchen)
  })

  it('her password set, staff see that she has joined', async ({
    server,
    sam,
    live,
    personByEmail,
  }) => {
    const samLive = await live(sam)
    const { token } = setPasswordLink(await waitForEml(server.dataDir, 'invitation', ANNA))
    const set = await new Api(server.url).post('/auth/set-password', {
      token,
      password: 'anna-berg-studio-nord',
    })
    expect(set.status, JSON.stringify(set.body)).toBe(200)
    anna = new Api(server.url, Session.parse(set.body).token)
    await expect
      .poll(
        () =>
          samLive.changes.some((e) =>
            e.changes.people.some((p) => p.id === annaId && p.passwordSet === true),
          ),
        { ...inTime, message: 'staff to hear that Anna set her password' },
      )
      .toBe(true)
    expect((await personByEmail(ANNA))?.passwordSet).toBe(true)
  })

  it('she sees exactly that thread: in the list, by id, in the feed, in search; the others are not there', async ({
    dir,
    participants,
  }) => {
    const list = ThreadList.parse((await anna.get('/threads?limit=200')).body)
    expect(list.threads.map((t) => t.id)).toEqual([kitchen])
    expect((await anna.get(`/threads/${kitchen}`)).status).toBe(200)
    const messages = MessagePage.parse((await anna.get(`/threads/${kitchen}/messages`)).body)
    expect(messages.messages.map((m) => m.body)).toEqual([
      'We are looking at moving the island 40 cm towards the window. Drawings to follow.',
    ])
    // Another Maple Street thread answers as one that does not exist.
    const other = await anna.get(`/threads/${tile}`)
    expect({ status: other.status, body: other.body }).toEqual({
      status: 404,
      body: (await anna.get(`/threads/${randomUUID()}`)).body,
    })

    const feed = ChangesPage.parse((await anna.get('/changes?after=0&limit=5000')).body)
    expect(feed.changes.threads.map((t) => t.id)).toEqual([kitchen])
    expect(new Set(feed.changes.messages.map((m) => m.threadId))).toEqual(new Set([kitchen]))
    // The project by name, and the people of her thread only: not Maple Street's other contacts' threads, nor Oak Ridge.
    expect(ProjectList.parse((await anna.get('/projects')).body).projects.map((p) => p.id)).toEqual(
      [dir.project('Maple')],
    )
    const people = PeopleList.parse((await anna.get('/people')).body).people
    expect(people.map((p) => p.id).sort()).toEqual((await participants(kitchen)).sort())
    expect(people.find((p) => p.id !== annaId)?.email).toBeNull()

    // "tile" is all over the tile thread; "island" is in hers.
    const search = async (q: string) =>
      SearchResult.parse((await anna.get(`/search?q=${q}`)).body).hits.map((h) => h.threadId)
    expect(await search('tile')).toEqual([])
    expect(await search('island')).toEqual([kitchen])
  })

  it('she hears staff replies in her thread live, and nothing of the others; and gets email alerts like a customer', async ({
    server,
    sam,
    live,
  }) => {
    const annaLive = await live(anna)
    const [inHers, inTile] = [randomUUID(), randomUUID()]
    expect(
      (
        await sam.post(`/threads/${tile}/messages`, {
          clientId: inTile,
          body: 'The grout arrives Monday.',
        })
      ).status,
    ).toBe(201)
    expect(
      (
        await sam.post(`/threads/${kitchen}/messages`, {
          clientId: inHers,
          body: 'Anna, could you send the island drawing as a PDF?',
        })
      ).status,
    ).toBe(201)
    await expect
      .poll(() => annaLive.gotMessage(inHers), { ...inTime, message: 'the reply in her thread' })
      .toBe(true)
    expect(annaLive.gotMessage(inTile)).toBe(false)
    expect(JSON.stringify(annaLive.changes)).not.toContain(tile)

    const alert = await waitForEml(server.dataDir, 'new-message', ANNA)
    expect(alert.subject).toBe('New message from Harbor & Pine Builders: Kitchen island layout')
    expect(alert.text).toContain('could you send the island drawing')
    expect(alert.text).toContain(`/portal/threads/${kitchen}`)
  })

  it('she replies there, and staff see the thread waiting on them; she cannot start a conversation on the project', async ({
    sam,
    startInMaple,
  }) => {
    const clientId = randomUUID()
    const reply = await anna.post(`/threads/${kitchen}/messages`, {
      clientId,
      body: 'Drawing attached tomorrow. 40 cm works with the hood.',
    })
    expect(reply.status, JSON.stringify(reply.body)).toBe(201)
    const summary = (await sam.get(`/threads/${kitchen}`)).body
    expect(summary.waitingSince).not.toBeNull()
    expect(summary.lastMessagePreview).toContain('40 cm works')

    const start = await startInMaple(anna)
    expect(start.status).toBe(403)
    expect(code(start.body)).toBe('FORBIDDEN')
    expect(message(start.body)).toMatch(/not a customer contact on Maple Street Remodel/)
  })

  it('once she signs in, inviting her again mails the thread’s link, not a set-password link', async ({
    server,
    sam,
  }) => {
    const before = (await emlMails(server.dataDir, 'invitation')).filter((m) =>
      m.to.includes(ANNA),
    ).length
    const res = await invite(sam, kitchen, { name: 'Anna Berg', email: ANNA, kind: 'guest' })
    expect(res.status).toBe(200)
    expect(InvitationResult.parse(res.body).mailed).toBe('thread-link')
    await expect
      .poll(
        async () =>
          (await emlMails(server.dataDir, 'invitation')).filter((m) => m.to.includes(ANNA)).length >
          before,
        { ...inTime, message: 'the third mail' },
      )
      .toBe(true)
    const newest = (await emlMails(server.dataDir, 'invitation'))
      .filter((m) => m.to.includes(ANNA))
      .at(-1)!
    expect(newest.text).not.toContain('token=')
    expect(newest.text).toContain(`/portal/threads/${kitchen}`)
  })

  it('a fourth mail to her address within the hour is refused, saying when, and nothing is sent', async ({
    server,
    sam,
  }) => {
    const count = async () =>
      (await emlMails(server.dataDir, 'invitation')).filter((m) => m.to.includes(ANNA)).length
    const before = await count()
    const res = await invite(sam, kitchen, { name: 'Anna Berg', email: ANNA, kind: 'guest' })
    expect(res.status, JSON.stringify(res.body)).toBe(429)
    expect(code(res.body)).toBe('RATE_LIMITED')
    expect(message(res.body)).toMatch(
      /^anna@studio-nord\.test has had 3 invitations in the last hour\. Give them time to find one \(it may be in their spam folder\), or send another in \d+ minutes?\.$/,
    )
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another colleague is told the same: the count is the address's, for the company.
    const tess = await signIn(server.url, 'staff2@demo.test')
    const oak = ThreadList.parse((await tess.get('/threads?limit=50')).body).threads[0]!.id
    expect((await invite(tess, oak, { name: 'Anna', email: ANNA, kind: 'guest' })).status).toBe(429)
    expect(await count()).toBe(before)
  })
})

describe('who may invite', () => {
  it('a customer of the thread may not, with the same answer for any thread; unassigned staff get the answer for a thread that does not exist', async ({
    server,
    personByEmail,
  }) => {
    const carla = await signIn(server.url, 'customer@demo.test')
    const tess = await signIn(server.url, 'staff2@demo.test')
    const body = { name: 'Dora Decor', email: 'dora@decor.test', kind: 'guest' }
    const byCarla = await invite(carla, kitchen, body)
    expect(byCarla.status).toBe(403)
    expect(byCarla.body).toEqual((await invite(carla, randomUUID(), body)).body)
    const byTess = await invite(tess, kitchen, body)
    expect(byTess.status).toBe(404)
    expect(byTess.body).toEqual((await invite(tess, randomUUID(), body)).body)
    // Nobody was created, added or mailed.
    expect(await personByEmail('dora@decor.test')).toBeUndefined()
    expect(
      (await emlMails(server.dataDir, 'invitation')).some((m) => m.to.includes('dora@decor.test')),
    ).toBe(false)
  })

  it('refuses what is not an invitation at the field: no name, a name of several lines, no email, no kind', async ({
    sam,
  }) => {
    for (const body of [
      { name: ' ', email: 'x@y.test', kind: 'guest' },
      // A name is said in the mail: it may not write lines of its own there.
      {
        name: 'Anna\n\nYour account is locked: http://phish.test',
        email: 'x@y.test',
        kind: 'guest',
      },
      { name: 'Anna\u2028Berg', email: 'x@y.test', kind: 'guest' },
      { name: 'X', email: 'not an email', kind: 'guest' },
      { name: 'X', email: 'x@y.test', kind: 'homeowner' },
      { name: 'X', email: 'x@y.test', kind: 'guest', role: 'admin' },
    ]) {
      const res = await invite(sam, kitchen, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(code(res.body)).toBe('VALIDATION_FAILED')
    }
  })
})

describe('an email that already has an account in the company', () => {
  it('a customer of another project joins as a guest of this thread only, and is mailed its link', async ({
    server,
    sam,
    dir,
    startInMaple,
  }) => {
    const benEmail = 'customer2@demo.test'
    const ben = await signIn(server.url, benEmail)
    // The Participants picker keeps to project contacts...
    const picked = await sam.post(`/threads/${kitchen}/participants`, {
      userId: dir.person(benEmail),
    })
    expect(picked.status).toBe(403)
    // ...an invitation names him by address on purpose.
    const res = await invite(sam, kitchen, { name: 'Someone Else', email: benEmail, kind: 'trade' })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const result = InvitationResult.parse(res.body)
    expect(result).toMatchObject({
      existing: true,
      mailed: 'thread-link',
      person: { name: 'Ben Okafor', role: 'customer' },
    })
    const mail = await waitForEml(server.dataDir, 'invitation', benEmail)
    expect(mail.text).toContain(`/portal/threads/${kitchen}`)
    const seen = ThreadList.parse((await ben.get('/threads?limit=200')).body).threads.map(
      (t) => t.id,
    )
    expect(seen).toContain(kitchen)
    expect(seen).not.toContain(tile)
    const start = await startInMaple(ben)
    expect(start.status).toBe(403)
  })

  it('a colleague is added and mailed nothing (the thread is in their inbox); someone without portal access too', async ({
    server,
    sam,
    dir,
    participants,
  }) => {
    for (const email of ['staff2@demo.test', 'noaccess@demo.test']) {
      const res = await invite(sam, kitchen, { name: 'X', email, kind: 'guest' })
      expect(res.status, `${email}: ${JSON.stringify(res.body)}`).toBe(201)
      expect(InvitationResult.parse(res.body)).toMatchObject({ existing: true, mailed: 'nothing' })
      expect(await participants(kitchen)).toContain(dir.person(email))
    }
    const tess = await signIn(server.url, 'staff2@demo.test')
    expect((await tess.get(`/threads/${kitchen}`)).status).toBe(200)
  })
})

describe('a trade', () => {
  it('is a subcontractor in the thread while the company allows them; refused with its own code when not, and nothing is created', async ({
    server,
    admin,
    sam,
    participants,
    personByEmail,
  }) => {
    const res = await invite(sam, kitchen, {
      name: 'Mo Stone',
      email: 'mo@stoneworks.test',
      kind: 'trade',
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(InvitationResult.parse(res.body).person.role).toBe('subcontractor')

    expect((await admin.patch('/admin/settings', { subcontractorsAllowed: false })).status).toBe(
      200,
    )
    const before = await participants(kitchen)
    try {
      const refused = await invite(sam, kitchen, {
        name: 'Flo Floors',
        email: 'flo@floors.test',
        kind: 'trade',
      })
      expect(refused.status, JSON.stringify(refused.body)).toBe(403)
      expect(code(refused.body)).toBe('SUBCONTRACTORS_NOT_ALLOWED')
      expect(message(refused.body)).toMatch(/Admin → Company Settings → Client Portal/)
      expect(await personByEmail('flo@floors.test')).toBeUndefined()
      expect(await participants(kitchen)).toEqual(before)
      // A guest is still welcome.
      const guest = await invite(sam, kitchen, {
        name: 'Lena Light',
        email: 'lena@lightplan.test',
        kind: 'guest',
      })
      expect(guest.status).toBe(201)
    } finally {
      await admin.patch('/admin/settings', { subcontractorsAllowed: true })
    }
    expect(
      (await emlMails(server.dataDir, 'invitation')).some((m) => m.to.includes('flo@floors.test')),
    ).toBe(false)
  })
})

describe('an email that belongs to another company on this server', () => {
  it('is refused without a word of whose it is, the same whatever the account; nothing is created or sent', async ({
    server,
    sam,
    participants,
    personByEmail,
  }) => {
    addCompany(server, 'Birchwood Custom Homes', [
      { role: 'customer', name: 'Olga Other', email: 'olga@elsewhere.test' },
      { role: 'staff', name: 'Stan Birch', email: 'stan@birchwood.test' },
    ])
    const before = await participants(kitchen)
    const answers = []
    for (const email of ['olga@elsewhere.test', 'stan@birchwood.test']) {
      const res = await invite(sam, kitchen, { name: 'Olga', email, kind: 'guest' })
      expect(res.status, JSON.stringify(res.body)).toBe(409)
      expect(code(res.body)).toBe('EMAIL_TAKEN')
      const text = JSON.stringify(res.body)
      for (const secret of [
        'Birchwood',
        'Olga Other',
        'Stan',
        'staff',
        'customer',
        'account',
        'company',
      ])
        expect(text).not.toContain(secret)
      answers.push(JSON.stringify(res.body).replace(email, '<email>'))
    }
    expect(answers[0]).toBe(answers[1])
    expect(
      message(
        (await invite(sam, kitchen, { name: 'O', email: 'olga@elsewhere.test', kind: 'guest' }))
          .body,
      ),
    ).toBe(
      'olga@elsewhere.test can’t be invited here. Ask them for another email address, such as their work address, and invite that one.',
    )
    expect(await participants(kitchen)).toEqual(before)
    expect(await personByEmail('olga@elsewhere.test')).toBeUndefined()
    const mails = await emlMails(server.dataDir, 'invitation')
    expect(mails.some((m) => m.to.includes('olga@elsewhere.test'))).toBe(false)
  })
})
