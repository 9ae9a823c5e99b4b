import { randomUUID } from 'node:crypto'
import type Mail from 'nodemailer/lib/mailer'
import { afterAll, describe, expect } from 'vitest'
import {
  HeldReplies,
  InboundMailResult,
  MailLog,
  TestMailResult,
  ThreadSummary,
} from '../../src/shared/protocol'
import { demoPdf } from '../../server/src/demo/seed'
import { REPLY_ABOVE_THIS_LINE } from '../../server/src/mail/inbound/reply-text'
import { Api, signIn, startThread } from '../support/api'
import { serverSuite, type Directory } from '../support/fixtures'
import { mailDelivered } from '../support/mail'
import {
  CARLA,
  deliveryReport,
  gmailReply,
  INBOUND,
  mailWorld,
  replyAddress,
  webhook,
} from '../support/replies-by-email'

/**
 * Replies by email, both ways over real SMTP: the portal server mails its notifications to a
 * real SMTP receiver here, and a person's mail client (nodemailer) answers them to the server's
 * own SMTP listener, DKIM-signed by the sender's domain; the sender checks ask a real DNS server
 * on loopback that publishes that domain's SPF, DKIM key and DMARC policy.
 */

const world = await mailWorld()
const { sink, mailClient, rawMail } = world
afterAll(() => world.close())

const it = serverSuite({ env: world.env })

const tag = () => randomUUID().slice(0, 8)

/** Carla's question, Sam's answer, and the notification mail of that answer in Carla's inbox. */
async function notifiedOfAnswer({ carla, sam, dir }: { carla: Api; sam: Api; dir: Directory }) {
  const projectId = dir.project('Maple')
  const subject = `Railing delivery ${tag()}`
  const threadId = await startThread(carla, projectId, subject, 'When does the railing come?')
  const answer = await sam.post(`/threads/${threadId}/messages`, {
    clientId: randomUUID(),
    body: 'The railing delivery moved to Friday.',
  })
  expect(answer.status).toBe(201)
  const mail = await sink.waitFor(
    (m) => m.envelopeTo.includes(CARLA) && m.subject.endsWith(subject),
  )
  const before = await messagesOf(sam, threadId)
  /** Checks that no reply by email was posted to the thread since Carla was mailed. */
  const nothingPosted = async () => expect(await messagesOf(sam, threadId)).toEqual(before)
  return { threadId, subject, mail, nothingPosted }
}

async function messagesOf(who: Api, threadId: string) {
  const res = await who.get(`/threads/${threadId}/messages?limit=500`)
  expect(res.status).toBe(200)
  return res.body.messages as {
    id: string
    body: string
    authorId: string
    attachments: { name: string }[]
  }[]
}

/** The refusal mail Carla gets about this thread, once it arrives. */
const refusalTo = (address: string, subject: string) =>
  sink.waitFor(
    (m) => m.envelopeTo.includes(address) && m.subject === `Your reply was not posted: ${subject}`,
  )

describe('notification mail', () => {
  it('carries the reply address of its reader and thread, threading headers, and the marker to reply above', async ({
    carla,
    sam,
    dir,
  }) => {
    const { threadId, mail } = await notifiedOfAnswer({ carla, sam, dir })
    expect(replyAddress(mail)).toMatch(new RegExp(`^reply\\+[a-z2-7]{26}@${INBOUND}$`))
    const thread = `<thread.${threadId}@${INBOUND}>`
    expect(mail.parsed.inReplyTo).toBe(thread)
    expect(mail.parsed.references).toBe(thread)
    expect(mail.parsed.messageId).toMatch(new RegExp(`@${INBOUND}>$`))
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated')
    expect(mail.text.startsWith(REPLY_ABOVE_THIS_LINE)).toBe(true)
    expect(mail.text).toContain('You can also reply to this email')
    // The HTML part says the same, in the builder's name, with a button to the conversation.
    const html = String(mail.parsed.html)
    expect(html).toContain('Harbor &amp; Pine Builders')
    expect(html).toContain('The railing delivery moved to Friday.')
    expect(html).toContain(`href="https://portal.harbor.test/portal/threads/${threadId}"`)
    expect(html).toContain('Read and reply in your portal')

    // The next mail about the thread to Carla has the same address; Sam's mail has his own.
    await sam.post(`/threads/${threadId}/messages`, {
      clientId: randomUUID(),
      body: 'And the posts.',
    })
    const next = await sink.waitFor(
      (m) => m.envelopeTo.includes(CARLA) && m.text.includes('And the posts.'),
    )
    expect(replyAddress(next)).toBe(replyAddress(mail))
  })
})

describe('a reply by email', () => {
  it('lands once in its thread as Carla, without the quote; the same mail again, by SMTP or the webhook, posts nothing more', async ({
    server,
    carla,
    sam,
    dir,
  }) => {
    const { threadId, mail } = await notifiedOfAnswer({ carla, sam, dir })
    const reply = gmailReply(mail, 'Friday works for us, thanks.')
    await mailClient.sendMail(reply)
    const mine = (await messagesOf(sam, threadId)).filter((m) => m.authorId === dir.person(CARLA))
    expect(mine.map((m) => m.body)).toEqual([
      'When does the railing come?',
      'Friday works for us, thanks.',
    ])

    await mailClient.sendMail(reply)
    const again = await webhook(server, await rawMail(reply))
    expect(again.status).toBe(200)
    expect(InboundMailResult.parse(again.body).outcome).toBe('duplicate')
    const after = (await messagesOf(sam, threadId)).filter((m) => m.authorId === dir.person(CARLA))
    expect(after).toHaveLength(2)
    // Staff see it as Carla's newest message, and the thread waits on them again.
    const summary = ThreadSummary.parse((await sam.get(`/threads/${threadId}`)).body)
    expect(summary.lastMessagePreview).toContain('Friday works')
    expect(summary.lastMessageSenderId).toBe(dir.person(CARLA))
    expect(summary.waitingSince).not.toBeNull()
  })

  it('brings its files through the portal’s checks; a file type the portal refuses is said by mail, with the words given back, and nothing is posted', async ({
    carla,
    sam,
    dir,
  }) => {
    const first = await notifiedOfAnswer({ carla, sam, dir })
    const pdf = Buffer.from(demoPdf('Railing layout'))
    await mailClient.sendMail(
      gmailReply(first.mail, 'Here is the layout we talked about.', {
        attachments: [
          { filename: 'railing-layout.pdf', content: pdf, contentType: 'application/pdf' },
        ],
      }),
    )
    const posted = (await messagesOf(sam, first.threadId)).at(-1)!
    expect(posted.body).toBe('Here is the layout we talked about.')
    expect(posted.attachments.map((a) => a.name)).toEqual(['railing-layout.pdf'])

    const second = await notifiedOfAnswer({ carla, sam, dir })
    await mailClient.sendMail(
      gmailReply(second.mail, 'And the installer my cousin sent.', {
        attachments: [{ filename: 'setup.exe', content: Buffer.from('MZ\x90\x00not really') }],
      }),
    )
    const refusal = await refusalTo(CARLA, second.subject)
    expect(refusal.text).toMatch(/\.exe/)
    expect(refusal.text).toContain('What you wrote, so nothing is lost:')
    expect(refusal.text).toContain('And the installer my cousin sent.')
    expect(refusal.parsed.headers.get('auto-submitted')).toBe('auto-generated')
    await second.nothingPosted()
  })

  it('is refused in the help page’s words while Messages are turned off, and nothing is posted', async ({
    admin,
    carla,
    sam,
    dir,
  }) => {
    const { nothingPosted, subject, mail } = await notifiedOfAnswer({ carla, sam, dir })
    expect((await admin.patch('/admin/settings', { messagesEnabled: false })).status).toBe(200)
    try {
      await mailClient.sendMail(gmailReply(mail, 'Is the crew coming tomorrow?'))
      const refusal = await refusalTo(CARLA, subject)
      expect(refusal.text).toContain('Messages are turned off for this portal.')
      expect(refusal.text).toContain('Is the crew coming tomorrow?')
    } finally {
      expect((await admin.patch('/admin/settings', { messagesEnabled: true })).status).toBe(200)
    }
    await nothingPosted()
  })

  it('to a closed conversation is refused with where to carry on', async ({ carla, sam, dir }) => {
    const { threadId, nothingPosted, subject, mail } = await notifiedOfAnswer({ carla, sam, dir })
    expect((await sam.patch(`/threads/${threadId}`, { status: 'closed' })).status).toBe(200)
    await mailClient.sendMail(gmailReply(mail, 'One more thing about the railing.'))
    const refusal = await refusalTo(CARLA, subject)
    expect(refusal.text).toContain('is closed, so replies by email are not posted to it')
    expect(refusal.text).toContain('start a new conversation in your portal')
    await nothingPosted()
  })

  it('from another address than the one mailed is not posted; Carla hears of it at her own address', async ({
    carla,
    sam,
    dir,
  }) => {
    const { nothingPosted, subject, mail } = await notifiedOfAnswer({ carla, sam, dir })
    await mailClient.sendMail(
      gmailReply(mail, 'Send the invoice to me instead.', {
        from: 'Someone <someone@elsewhere.test>',
      }),
    )
    const refusal = await refusalTo(CARLA, subject)
    expect(refusal.text).toContain('came from someone@elsewhere.test')
    expect(sink.to('someone@elsewhere.test')).toEqual([])
    await nothingPosted()
  })

  it('to an address mailed before portal access was turned off is refused for good; new mail carries a new address', async ({
    admin,
    carla,
    sam,
    dir,
  }) => {
    const CHRIS = 'customer3@demo.test'
    const { threadId, nothingPosted, subject } = await notifiedOfAnswer({ carla, sam, dir })
    const old = await sink.waitFor(
      (m) => m.envelopeTo.includes(CHRIS) && m.subject.endsWith(subject),
    )
    const chris = `/admin/people/${dir.person(CHRIS)}`
    expect((await admin.patch(chris, { portalAccess: false })).status).toBe(200)
    expect((await admin.patch(chris, { portalAccess: true })).status).toBe(200)
    await mailClient.sendMail(
      gmailReply(old, 'Can we keep the old railing?', { from: `Chris Mendes <${CHRIS}>` }),
    )
    const refusal = await refusalTo(CHRIS, subject)
    expect(refusal.text).toContain('This reply address no longer takes replies')
    expect(refusal.text).toContain('Can we keep the old railing?')
    await nothingPosted()

    await sam.post(`/threads/${threadId}/messages`, { clientId: randomUUID(), body: 'New photos.' })
    const fresh = await sink.waitFor(
      (m) => m.envelopeTo.includes(CHRIS) && m.text.includes('New photos.'),
    )
    expect(replyAddress(fresh)).not.toBe(replyAddress(old))
  })

  it('to an address that is no reply address of ours is refused in the SMTP conversation', async () => {
    const refused = mailClient.sendMail({
      from: CARLA,
      to: `reply+${'a'.repeat(26)}@${INBOUND}`,
      subject: 'Hello?',
      text: 'Anyone there?',
    })
    await expect(refused).rejects.toMatchObject({ responseCode: 550 })
  })

  it('by a provider’s webhook goes through the same: posted once when signed, refused by mail when a rule says no, and only with the secret', async ({
    server,
    admin,
    carla,
    sam,
    dir,
  }) => {
    const { threadId, mail } = await notifiedOfAnswer({ carla, sam, dir })
    const raw = await rawMail(gmailReply(mail, 'Posted through the provider.'), true)
    expect((await webhook(server, raw, 'not-the-secret-at-all-000000')).status).toBe(401)
    const noAuth = await new Api(server.url).request('POST', '/inbound/mail', undefined, {
      headers: { 'content-type': 'message/rfc822' },
      raw,
    })
    expect(noAuth.status).toBe(401)
    const posted = InboundMailResult.parse((await webhook(server, raw)).body)
    expect(posted).toMatchObject({ outcome: 'posted', threadId })
    expect((await messagesOf(sam, threadId)).at(-1)?.body).toBe('Posted through the provider.')

    const next = await notifiedOfAnswer({ carla, sam, dir })
    expect((await admin.patch('/admin/settings', { messagesEnabled: false })).status).toBe(200)
    try {
      const refused = await webhook(
        server,
        await rawMail(gmailReply(next.mail, 'Through the provider, while Messages are off.'), true),
      )
      expect(InboundMailResult.parse(refused.body).outcome).toBe('refused')
      const told = await refusalTo(CARLA, next.subject)
      expect(told.text).toContain('Through the provider, while Messages are off.')
    } finally {
      expect((await admin.patch('/admin/settings', { messagesEnabled: true })).status).toBe(200)
    }
    await next.nothingPosted()
  })

  it('whose sender fails DMARC is held for review, not posted, even with a valid reply address', async ({
    server,
    carla,
    sam,
    dir,
  }) => {
    const { threadId, nothingPosted, mail } = await notifiedOfAnswer({ carla, sam, dir })
    // Unsigned, and handed over by a webhook (no SPF): demo.test publishes p=reject.
    const held = await webhook(
      server,
      await rawMail(gmailReply(mail, 'Please wire the deposit to this new account.')),
    )
    expect(held.status).toBe(200)
    expect(InboundMailResult.parse(held.body)).toMatchObject({ outcome: 'held', threadId })
    expect(InboundMailResult.parse(held.body).reason).toMatch(/DMARC fail/)
    await nothingPosted()
  })

  it('held: staff see it with what it says, and post it after all or drop it; customers cannot', async ({
    server,
    carla,
    sam,
    dir,
  }) => {
    const first = await notifiedOfAnswer({ carla, sam, dir })
    const second = await notifiedOfAnswer({ carla, sam, dir })
    for (const [n, { mail }] of [first, second].entries())
      await webhook(server, await rawMail(gmailReply(mail, `Held words ${n}.`)))
    const list = async () =>
      HeldReplies.parse((await sam.get('/inbound/held')).body).held.filter((h) =>
        [first.threadId, second.threadId].includes(h.threadId),
      )
    const [a, b] = await list()
    expect([a?.text, b?.text]).toEqual(['Held words 0.', 'Held words 1.'])
    expect(a).toMatchObject({ from: CARLA, personId: dir.person(CARLA) })
    expect((await carla.get('/inbound/held')).status).toBe(403)
    expect((await carla.post(`/inbound/held/${a!.id}/post`)).status).toBe(403)

    const posted = InboundMailResult.parse((await sam.post(`/inbound/held/${a!.id}/post`)).body)
    expect(posted.outcome).toBe('posted')
    const last = (await messagesOf(sam, first.threadId)).at(-1)!
    expect(last).toMatchObject({ body: 'Held words 0.', authorId: dir.person(CARLA) })
    expect((await sam.post(`/inbound/held/${a!.id}/post`)).status).toBe(404)

    expect((await sam.post(`/inbound/held/${b!.id}/discard`)).status).toBe(200)
    expect(await list()).toEqual([])
    await second.nothingPosted()
  })
})

describe('automatic mail', () => {
  it('an out-of-office answer to our auto-reply is never posted or answered: two auto-responders stop at once', async ({
    server,
    admin,
    carla,
    sam,
    dir,
  }) => {
    const autoReply = {
      enabled: true,
      text: 'Thanks, we will answer within a day.',
      when: 'always',
    }
    expect((await admin.patch('/admin/settings', { autoReply })).status).toBe(200)
    try {
      const { threadId, mail } = await notifiedOfAnswer({ carla, sam, dir })
      await mailClient.sendMail(gmailReply(mail, 'Got it.'))
      const ours = await sink.waitFor(
        (m) => m.envelopeTo.includes(CARLA) && m.subject.startsWith('We received your message'),
      )
      expect(ours.parsed.headers.get('auto-submitted')).toBe('auto-replied')
      const before = await messagesOf(sam, threadId)
      await mailDelivered(server)
      const mailsBefore = sink.received.length

      // Carla's mail system answers our auto-reply with its own, as an RFC 3834 responder does.
      const outOfOffice: Mail.Options = {
        from: `Carla Mendes <${CARLA}>`,
        to: replyAddress(ours),
        subject: `Out of office: ${ours.subject}`,
        messageId: `<${randomUUID()}@mail.demo.test>`,
        text: 'I am away until Monday.',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }
      await mailClient.sendMail(outOfOffice)
      const viaWebhook = await webhook(
        server,
        await rawMail({ ...outOfOffice, messageId: `<${randomUUID()}@mail.demo.test>` }),
      )
      expect(InboundMailResult.parse(viaWebhook.body)).toMatchObject({ outcome: 'ignored' })
      await mailDelivered(server)
      expect(await messagesOf(sam, threadId)).toEqual(before)
      expect(sink.received.slice(mailsBefore)).toEqual([])
    } finally {
      const off = { enabled: false, text: '', when: 'outside-business-hours' }
      expect((await admin.patch('/admin/settings', { autoReply: off })).status).toBe(200)
    }
  })
})

describe('staff by email', () => {
  it('Sam answers a customer’s message from his mail, and Carla gets it as his', async ({
    carla,
    sam,
    dir,
  }) => {
    expect((await sam.patch('/me/preferences', { emailOnNewMessage: true })).status).toBe(200)
    const subject = `Paint colours ${tag()}`
    const threadId = await startThread(
      carla,
      dir.project('Maple'),
      subject,
      'Which white did we pick?',
    )
    const alert = await sink.waitFor(
      (m) => m.envelopeTo.includes('staff@demo.test') && m.subject.endsWith(subject),
    )
    expect(alert.text).toContain('your reply is sent to them')
    expect(String(alert.parsed.html)).toContain('Open it in Portal Inbox')
    await mailClient.sendMail({
      from: 'Sam Ortiz <staff@demo.test>',
      to: replyAddress(alert),
      subject: `Re: ${alert.subject}`,
      messageId: `<${randomUUID()}@mail.demo.test>`,
      text: `Chantilly Lace, in eggshell.\n\nSent from my iPhone\n\n> On Dec 7, 2026, at 10:20, Harbor & Pine Builders wrote:\n> ${alert.text.split('\n').join('\n> ')}`,
    })
    const last = (await messagesOf(carla, threadId)).at(-1)!
    expect(last).toMatchObject({
      body: 'Chantilly Lace, in eggshell.',
      authorId: dir.person('staff@demo.test'),
    })
    await sink.waitFor((m) => m.envelopeTo.includes(CARLA) && m.text.includes('Chantilly Lace'))
  })
})

describe('the delivery log', () => {
  it('says what became of each mail: sent, then bounced in the receiving server’s words', async ({
    carla,
    sam,
    dir,
  }) => {
    const { mail } = await notifiedOfAnswer({ carla, sam, dir })
    const entry = async () => {
      const log = MailLog.parse((await carla.get('/me/mail')).body)
      return log.mail.find((m) => m.subject === mail.subject)
    }
    await expect.poll(async () => (await entry())?.status).toBe('sent')
    expect(mail.envelopeFrom).toMatch(new RegExp(`^bounces\\+[0-9a-f-]{36}@${INBOUND}$`))

    // The receiving server sends it back later, from the null sender, to the envelope sender.
    await mailClient.sendMail({
      envelope: { from: '', to: mail.envelopeFrom },
      raw: deliveryReport(mail.envelopeFrom, CARLA),
    })
    await expect.poll(async () => (await entry())?.status).toBe('bounced')
    expect((await entry())?.problem).toContain('550 5.1.1')
    // Nobody is answered, and nothing is posted about it.
    expect(sink.to('mailer-daemon@mx.demo.test')).toEqual([])
  })

  it('“Send me a test” queues a mail the log shows going out; a sixth in an hour is refused in words', async ({
    server,
    dir,
  }) => {
    const ada = await signIn(server.url, 'admin@demo.test')
    const first = await ada.post('/me/mail/test')
    expect(first.status).toBe(200)
    const test = TestMailResult.parse(first.body).mail
    expect(test).toMatchObject({ to: 'admin@demo.test', kind: 'test' })
    await sink.waitFor(
      (m) => m.envelopeTo.includes('admin@demo.test') && m.subject === test.subject,
    )
    await expect
      .poll(
        async () =>
          MailLog.parse((await ada.get('/me/mail')).body).mail.find((m) => m.id === test.id)
            ?.status,
      )
      .toBe('sent')
    for (let i = 0; i < 4; i++) expect((await ada.post('/me/mail/test')).status).toBe(200)
    const refused = await ada.post('/me/mail/test')
    expect(refused.status).toBe(429)
    expect(refused.body.error.message).toContain('5 test emails in the last hour')

    // Admins see anyone's mail; staff do not see the company's.
    const company = MailLog.parse(
      (await ada.get(`/admin/mail?personId=${dir.person('admin@demo.test')}`)).body,
    )
    expect(company.mail.every((m) => m.to === 'admin@demo.test')).toBe(true)
    const sam = await signIn(server.url, 'staff@demo.test')
    expect((await sam.get('/admin/mail')).status).toBe(403)
  })
})
