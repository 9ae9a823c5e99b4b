import type { PortalDb } from '../db/handle'
import type { Clock } from '../../../src/shared/clock'
import type { MailLinks, MailQueue } from '../mail/queue'
import type { FileStore } from '../repositories/file-store'
import type { SearchIndex } from '../repositories/search'
import { ThreadRepository } from '../repositories/threads'
import { SettingsService } from './admin'
import { AttachmentService } from './attachments'
import { InvitationService } from './invitations'
import { MailLogService } from './mail-log'
import { MessagingService } from './messaging'
import { ParticipantService } from './participants'
import { PasswordService } from './passwords'
import { PeopleService } from './people'
import { PortalLinkService } from './portal-links'
import { ProjectService } from './projects'
import { ReadService } from './reads'
import { TriageService } from './triage'
import { WhoIsNotifiedService } from './who-is-notified'

/** The storage ports and the mail queue the domain runs on; each port has today's implementation beside it. */
export interface DomainPorts {
  db: PortalDb
  search: SearchIndex
  files: FileStore
  mail: MailQueue
  links: MailLinks
  clock: Clock
}

/** What the routes act through: the thread reads and one service per domain. */
export interface Domain {
  threads: ThreadRepository
  messaging: MessagingService
  triage: TriageService
  participants: ParticipantService
  reads: ReadService
  invitations: InvitationService
  people: PeopleService
  projects: ProjectService
  passwords: PasswordService
  companySettings: SettingsService
  attachments: AttachmentService
  mailLog: MailLogService
  whoIsNotified: WhoIsNotifiedService
  portalLinks: PortalLinkService
}

export function createDomain(ports: DomainPorts): Domain {
  const { db, clock } = ports
  const participants = new ParticipantService(db, clock)
  const people = new PeopleService(db, ports)
  return {
    threads: new ThreadRepository(db, clock),
    messaging: new MessagingService(db, ports),
    triage: new TriageService(db, ports.search, participants),
    participants,
    reads: new ReadService(db, clock),
    invitations: new InvitationService(db, participants, people, ports),
    people,
    projects: new ProjectService(db, clock),
    passwords: new PasswordService(db, people, ports),
    companySettings: new SettingsService(db),
    attachments: new AttachmentService(db, ports.files, clock),
    mailLog: new MailLogService(db, ports),
    whoIsNotified: new WhoIsNotifiedService(db, clock),
    portalLinks: new PortalLinkService(db, ports),
  }
}
