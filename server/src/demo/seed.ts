import { Readable } from 'node:stream'
import { deflateSync, crc32 } from 'node:zlib'
import type { PortalDb } from '../db/handle'
import type { Caller } from '../domain/caller'
import { defaultPreferences, defaultSettings } from '../domain/settings'
import { MailQueue } from '../mail/queue'
import { hashPassword } from '../passwords'
import {
  anyCompany,
  everyone,
  insertCompany,
  messagesInOrder,
  redateMessage,
  redateThreadsFromMessages,
} from '../repositories/demo'
import { DiskFileStore } from '../repositories/file-store'
import { dropAllMail } from '../repositories/mail-outbox'
import { updatePerson } from '../repositories/people'
import { sqliteSearchIndex } from '../repositories/search'
import { callerFromRow } from '../repositories/sessions'
import { createDomain } from '../services/index'
import { nowIso, type Clock } from '../../../src/shared/clock'
import { newId } from '../util'

export const DEMO_PASSWORD = 'portal-demo'

export interface DemoLogin {
  email: string
  role: string
  name: string
  note: string
}

/**
 * The demo company, seeded through the same repositories the API uses, so demo data obeys every
 * rule real data does. Runs only when the database has no company yet.
 */
export async function seedDemo(db: PortalDb, dataDir: string, clock: Clock): Promise<DemoLogin[]> {
  if (await anyCompany(db)) return demoLogins

  const companyId = newId()
  const adminId = newId()
  const password = await hashPassword(DEMO_PASSWORD)
  await insertCompany(db, {
    company: {
      id: companyId,
      name: 'Harbor & Pine Builders',
      settings: JSON.stringify({
        ...defaultSettings,
        autoReply: {
          enabled: true,
          text: 'Thanks for your message! Our office hours are Monday to Friday, 8am to 5pm.',
          when: 'outside-business-hours',
        },
        contactPhone: '(555) 010-4477',
        officeHours: 'Mon–Fri 8am–5pm',
      }),
      last_seq: 1,
      settings_seq: 1,
      created_at: nowIso(clock),
    },
    admin: {
      id: adminId,
      company_id: companyId,
      role: 'admin',
      name: 'Ada Admin',
      email: 'admin@demo.test',
      password_hash: password,
      portal_access: 1,
      preferences: JSON.stringify(defaultPreferences('admin')),
      seq: 1,
      created_at: nowIso(clock),
    },
  })
  const admin: Caller = {
    id: adminId,
    companyId,
    role: 'admin',
    name: 'Ada Admin',
    email: 'admin@demo.test',
    portalAccess: true,
  }
  // Demo mail is not sent: the queue rows are dropped at the end.
  const links = {
    portalThread: () => '',
    setPassword: () => '',
    threadInvitation: () => '',
    resetPassword: () => '',
    portalSettings: () => '',
    staffThread: () => '',
    portalFile: () => '',
    staffFile: () => '',
    unsubscribe: () => '',
    signIn: () => '',
  }
  const domain = createDomain({
    db,
    search: sqliteSearchIndex,
    files: new DiskFileStore(dataDir),
    mail: new MailQueue(links, clock),
    links,
    clock,
  })
  await domain.attachments.init()

  const person = async (
    role: 'staff' | 'customer' | 'subcontractor',
    name: string,
    email: string,
  ) => {
    const { result } = await domain.people.createPerson(admin, {
      role,
      name,
      email,
      portalAccess: true,
      projectIds: [],
      invite: false,
    })
    const row = { id: result.id, company_id: companyId }
    await updatePerson(
      db,
      row,
      { password_hash: await hashPassword(DEMO_PASSWORD) },
      { visible: false },
    )
    return result.id
  }
  const sam = await person('staff', 'Sam Rivera', 'staff@demo.test')
  const tess = await person('staff', 'Tess Nguyen', 'staff2@demo.test')
  const carla = await person('customer', 'Carla Mendes', 'customer@demo.test')
  const chris = await person('customer', 'Chris Mendes', 'customer3@demo.test')
  const ben = await person('customer', 'Ben Okafor', 'customer2@demo.test')
  const erin = await person('customer', 'Erin Walsh', 'customer4@demo.test')
  const nora = await person('customer', 'Nora Lindqvist', 'noaccess@demo.test')
  const sid = await person('subcontractor', 'Sid Sparks (Sparks Electric)', 'sub@demo.test')
  await person('subcontractor', 'Pat Plumb (Plumb Bros)', 'sub2@demo.test')

  const project = async (
    name: string,
    stage: 'lead' | 'pre-construction' | 'construction' | 'warranty' | 'closed',
    customerIds: string[],
    teamIds: string[],
  ) => (await domain.projects.createProject(admin, { name, stage, customerIds, teamIds })).result.id
  const maple = await project(
    'Maple Street Remodel',
    'construction',
    [carla, chris],
    [adminId, sam],
  )
  const oak = await project('Oak Ridge New Build', 'pre-construction', [ben], [sam, tess])
  const birch = await project('Birch Lane Addition', 'warranty', [nora], [sam])
  await project('Cedar Court Kitchen', 'lead', [erin], [adminId])
  await project('Elm Avenue Deck', 'closed', [], [adminId])

  const callers = new Map<string, Caller>()
  for (const row of await everyone(db)) callers.set(row.id, callerFromRow(row))
  const as = (id: string) => callers.get(id) as Caller
  const upload = async (who: string, projectId: string, name: string, bytes: Buffer) =>
    (
      await domain.attachments.upload(as(who), projectId, undefined, {
        filename: name,
        stream: Readable.from([bytes]),
        declaredBytes: bytes.length,
      })
    ).attachment.id
  const start = async (
    who: string,
    projectId: string,
    subject: string,
    body: string,
    extra: { attachmentIds?: string[]; urgent?: boolean; participantIds?: string[] } = {},
  ) =>
    (
      await domain.messaging.create(as(who), {
        clientId: newId(),
        projectId,
        subject,
        body,
        internal: false,
        urgent: extra.urgent ?? false,
        attachmentIds: extra.attachmentIds ?? [],
        participantIds: extra.participantIds ?? [],
      })
    ).result.thread.id
  const reply = async (
    who: string,
    threadId: string,
    body: string,
    extra: { attachmentIds?: string[]; internal?: boolean } = {},
  ) =>
    domain.messaging.reply(as(who), threadId, {
      clientId: newId(),
      body,
      internal: extra.internal ?? false,
      urgent: false,
      attachmentIds: extra.attachmentIds ?? [],
    })
  const read = async (who: string, threadId: string) =>
    domain.reads.markThreadRead(as(who), threadId)

  const tile = await start(
    carla,
    maple,
    'Tile selection for the primary bath',
    'Hi Sam, we picked the tile from the showroom. Photo attached. Is the 12x24 size OK for the shower floor, or do we need something smaller for the slope?',
    {
      attachmentIds: [await upload(carla, maple, 'showroom-tile.png', demoPng([176, 190, 197]))],
    },
  )
  await read(sam, tile)
  await reply(
    sam,
    tile,
    'Great choice. For the shower floor we need 2x2 mosaic of the same line so it follows the slope; the 12x24 works on the walls. I attached the spec sheet.',
    {
      attachmentIds: [
        await upload(
          sam,
          maple,
          'tile-spec-sheet.pdf',
          demoPdf('Tile spec sheet: 12x24 porcelain, walls. 2x2 mosaic, shower floor.'),
        ),
      ],
    },
  )
  await read(carla, tile)
  await reply(
    carla,
    tile,
    'Perfect, please go ahead and order the mosaic too. Can you confirm the grout color is "Warm Gray"?',
  )

  const schedule = await start(
    sam,
    maple,
    'Schedule: drywall delivery next week',
    'Drywall is scheduled to arrive Thursday morning. Please keep the driveway clear from 7am.',
  )
  await reply(carla, schedule, 'Will someone be on site Friday to let the inspector in?')
  await read(sam, schedule)
  await reply(sam, schedule, 'Yes, our site lead will be there from 7:30am Friday.')

  const leak = await start(
    carla,
    maple,
    'Water coming through the basement wall',
    "There is a leak in the basement by the new window well after last night's rain. Water is pooling on the floor.",
    {
      attachmentIds: [await upload(carla, maple, 'basement-photo.png', demoPng([92, 110, 130]))],
    },
  )
  await reply(
    sam,
    leak,
    'Called Plumb Bros, they can be there at 2pm. Do not promise a cost until they have seen it; it may be the window well drain we installed.',
    { internal: true },
  )

  const panel = await start(
    sam,
    maple,
    'Electrical panel upgrade options',
    'We need to decide on the panel upgrade. I have added Sid from Sparks Electric, who can explain the options.',
    { participantIds: [sid] },
  )
  await reply(
    sid,
    panel,
    'Two options: a 200A panel (fits the current plan) or 400A if you plan an EV charger and a heat pump later. Happy to walk you through it on site.',
  )
  await reply(chris, panel, 'We do want an EV charger eventually. What is the price difference?')

  const windows = await start(
    ben,
    oak,
    'Window package quote',
    'Attached is the quote we got from the window supplier. Can you check that it matches the plan?',
    {
      attachmentIds: [
        await upload(
          ben,
          oak,
          'window-quote.pdf',
          demoPdf('Window package quote: 14 double-hung, 2 picture, 1 slider.'),
        ),
      ],
    },
  )
  await read(tess, windows)
  await reply(
    tess,
    windows,
    'Thanks Ben. The quote is missing the two basement egress windows; I will ask the supplier to add them.',
  )
  await reply(ben, windows, 'Thank you! Let me know when the updated quote arrives.')

  const order = await start(
    tess,
    oak,
    'Document request: signed change order #3',
    'Please sign and upload change order #3 (upgraded insulation) so we can order materials.',
  )
  await domain.triage.update(as(tess), order, { status: 'waiting-on-customer' })

  const warranty = await start(
    nora,
    birch,
    'Warranty: cabinet door alignment',
    'Two of the upper cabinet doors in the kitchen no longer close flush.',
  )
  await reply(sam, warranty, 'We will send a carpenter next Tuesday to adjust the hinges.')
  // Nora's portal access is turned off after the conversation, to show the "no portal access" case.
  await domain.people.updatePerson(admin, nora, { portalAccess: false })

  await spreadOverPastDays(db, clock)
  await dropAllMail(db)
  return demoLogins
}

export const demoLogins: DemoLogin[] = [
  {
    email: 'admin@demo.test',
    role: 'admin',
    name: 'Ada Admin',
    note: 'admin: company settings, every project',
  },
  {
    email: 'staff@demo.test',
    role: 'staff',
    name: 'Sam Rivera',
    note: 'staff on Maple Street, Oak Ridge and Birch Lane',
  },
  {
    email: 'staff2@demo.test',
    role: 'staff',
    name: 'Tess Nguyen',
    note: 'staff on Oak Ridge only',
  },
  {
    email: 'customer@demo.test',
    role: 'customer',
    name: 'Carla Mendes',
    note: 'customer on Maple Street (construction)',
  },
  {
    email: 'customer3@demo.test',
    role: 'customer',
    name: 'Chris Mendes',
    note: 'second customer contact on Maple Street',
  },
  {
    email: 'customer2@demo.test',
    role: 'customer',
    name: 'Ben Okafor',
    note: 'customer on Oak Ridge (pre-construction)',
  },
  {
    email: 'customer4@demo.test',
    role: 'customer',
    name: 'Erin Walsh',
    note: 'customer on Cedar Court (lead: portal closed)',
  },
  {
    email: 'noaccess@demo.test',
    role: 'customer',
    name: 'Nora Lindqvist',
    note: 'customer on Birch Lane with portal access off',
  },
  {
    email: 'sub@demo.test',
    role: 'subcontractor',
    name: 'Sid Sparks',
    note: 'subcontractor added to one Maple Street thread',
  },
  {
    email: 'sub2@demo.test',
    role: 'subcontractor',
    name: 'Pat Plumb',
    note: 'subcontractor not added to any thread',
  },
]

/** Seeded messages were all written "now"; spread them over the last days so the demo looks lived in. */
async function spreadOverPastDays(db: PortalDb, clock: Clock): Promise<void> {
  const messages = await messagesInOrder(db)
  const now = clock.now()
  const stepMs = (5 * 86_400_000) / Math.max(1, messages.length)
  for (const [i, m] of messages.entries()) {
    const at = new Date(now - (messages.length - i) * stepMs).toISOString()
    await redateMessage(db, m.id, at)
  }
  await redateThreadsFromMessages(db)
}

/** A small real PNG (a soft gradient swatch), so previews and type detection work on demo files. */
function demoPng([r, g, b]: [number, number, number]): Buffer {
  const width = 64
  const height = 48
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3
      const shade = (x + y) % 16 < 8 ? 0 : 18
      raw[o] = Math.min(255, r + shade)
      raw[o + 1] = Math.min(255, g + shade)
      raw[o + 2] = Math.min(255, b + shade)
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([len, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A one-page PDF with a line of text. */
export function demoPdf(text: string): Buffer {
  const safe = text.replace(/[()\\]/g, ' ')
  const stream = `BT /F1 14 Tf 72 720 Td (${safe}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

export { demoPng }
