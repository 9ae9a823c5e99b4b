import { documentFileName } from '../../shared/files'
import { formerMemberName, roleLabel, statusLabel } from '../../shared/labels'
import { nowIso, type Clock } from '../../shared/clock'
import type { CacheStore } from './cache/store'
import { threadNotInInbox } from './errors'
import { renderThreadPdf, type ThreadTranscript } from './export-pdf'
import { dayIn, isKnownZone, timeWords } from './zoned-time'

export interface ExportSource {
  store: CacheStore
  clock: Clock
  /** Whether the engine is connected now: offline, the copy says what it may lack. */
  online: boolean
}

/**
 * A thread as a PDF for the project file, from the local cache alone, so it works offline.
 *
 * The cache holds every message of every thread the person may see once the first download is
 * done (the change feed is pulled from the start and kept by live pushes); the thread pane's
 * `openThread({ before })` pages through that same cache, never the server. So the whole thread
 * is read here in one go, and what the copy can lack is said in it: messages the server has and
 * this desktop has not seen (offline, or the first download not finished), and replies still in
 * the outbox, which are left out because nobody has received them.
 *
 * Internal notes are in it only when asked for: a PDF leaves the inbox's access rules behind, and
 * a note mailed to a customer by mistake cannot be taken back, while a staff copy is one click.
 */
export async function exportThread(
  source: ExportSource,
  threadId: string,
  includeInternalNotes: boolean,
): Promise<{ name: string; bytes: Uint8Array }> {
  const { store } = source
  const thread = store.thread(threadId)
  if (!thread) throw threadNotInInbox()
  const people = new Map(store.people().map((p) => [p.id, p]))
  const project = store.projects().find((p) => p.id === thread.projectId)
  const all = store.threadMessages(thread.id)
  const unsent = all.filter((m) => m.pending).length
  const messages = all.filter((m) => !m.pending && (includeInternalNotes || !m.internal))
  const exportedAt = nowIso(source.clock)
  const timeZone = companyZone(store)

  const caveats: string[] = []
  const lastSynced = store.getMeta('lastSyncedAt')
  if (!lastSynced)
    caveats.push(
      'This desktop had not finished its first download from the portal: earlier messages may be missing. Export again once it has.',
    )
  else if (!source.online)
    caveats.push(
      `Exported without a connection to the portal: messages written after this desktop last synced (${timeWords(timeZone)(lastSynced)}) may be missing.`,
    )
  if (unsent)
    caveats.push(
      `${unsent === 1 ? '1 message' : `${unsent} messages`} written on this desktop ${unsent === 1 ? 'is' : 'are'} still waiting to be sent and ${unsent === 1 ? 'is' : 'are'} not in this copy.`,
    )

  const transcript: ThreadTranscript = {
    company: store.company()?.name ?? null,
    subject: thread.subject,
    project: project ? `${project.name} (${project.stage})` : thread.projectName,
    status: statusLabel[thread.status] ?? thread.status,
    urgent: thread.urgent,
    participants: thread.participantIds.flatMap((id) => {
      const person = people.get(id)
      return person ? [{ name: person.name, role: roleLabel[person.role] ?? person.role }] : []
    }),
    messages: messages.map((m) => {
      const author = people.get(m.authorId)
      return {
        sender: author?.name ?? formerMemberName,
        role: author ? (roleLabel[author.role] ?? author.role) : 'Former member',
        createdAt: m.createdAt,
        body: m.body,
        internal: m.internal,
        urgent: m.urgent,
        attachments: m.attachments.map((a) => ({ name: a.name, size: a.size })),
      }
    }),
    internalNotes: includeInternalNotes,
    exportedAt,
    exportedBy: people.get(store.me)?.name ?? null,
    timeZone,
    caveats,
  }
  const name = documentFileName(
    [project?.name ?? thread.projectName, thread.subject],
    `${dayIn(exportedAt, timeZone)}.pdf`,
  )
  return { name, bytes: await renderThreadPdf(transcript) }
}

/**
 * The zone the company keeps its business hours in: a project file is the company's record, so
 * its dates are the company's, whichever zone the exporting laptop is set to. The machine's zone
 * only when the settings have not arrived yet.
 */
function companyZone(store: CacheStore): string {
  const zone = store.settings()?.businessHours?.timezone
  return zone && isKnownZone(zone) ? zone : Intl.DateTimeFormat().resolvedOptions().timeZone
}
