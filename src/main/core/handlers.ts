import type { z } from 'zod'
import {
  ipcInputs,
  type EngineApi,
  type EngineErrorBody,
  type IpcMethod,
  type IpcResults,
} from '../../shared/ipc'
import type { Engine } from './engine'
import { EngineError, invalidInput, notSignedIn, threadNotInInbox } from './errors'
import { exportThread } from './export-thread'
import { nowDate } from '../../shared/clock'
import { bodyTooLong } from '../../shared/message-body'

type Handlers = {
  [K in IpcMethod]: (
    input: z.output<(typeof ipcInputs)[K]>,
  ) => Promise<IpcResults[K]> | IpcResults[K]
}

/**
 * The one implementation of the IPC contract. Each transport (ipcMain, the headless host's
 * WebSocket) registers exactly these handlers; inputs are validated here, once, for both.
 */
export function createHandlers(engine: Engine): EngineApi {
  const signedIn = () => {
    if (!engine.me) throw notSignedIn()
    return engine.me
  }

  // The company's limit, from the settings in the cache, refused before anything is queued: a
  // message over it would wait in the outbox only to be refused by the server.
  const withinBodyLimit = (body: string) => {
    const max = engine.store.settings()?.maxBodyChars
    const problem = max === undefined ? null : bodyTooLong(body.length, max)
    if (problem) throw new EngineError('VALIDATION_FAILED', problem)
  }

  const knownAttachment = (attachmentId: string) => {
    const attachment = engine.files.attachment(attachmentId)
    if (!attachment) throw new EngineError('NOT_FOUND', 'That file is not available yet.')
    return attachment
  }

  // A thread created offline changes id when the server's copy arrives; a screen that opened it
  // may still ask by the old one, and gets the thread under its new id.
  const currentThreadId = (asked: string) =>
    engine.store.thread(asked) ? asked : (engine.store.threadIdForClientId(asked) ?? asked)

  const handlers: Handlers = {
    signIn: ({ serverUrl, email, password }) => engine.sync.signIn(serverUrl, email, password),
    requestPasswordReset: ({ serverUrl, email }) =>
      engine.sync.requestPasswordReset(serverUrl, email),
    signOut: async () => {
      await engine.signOut()
      return engine.sync.connection()
    },
    getConnection: () => engine.sync.connection(),
    syncNow: async () => {
      signedIn()
      await engine.sync.pull('catch-up').catch(() => undefined)
      void engine.outbox.kick({ now: true })
      return engine.sync.connection()
    },

    listProjects: () => engine.store.projects(),
    listPeople: () => engine.store.people(),
    getSettings: () => engine.store.settings(),
    listThreads: ({ view, projectId, offset, limit }) =>
      engine.store.listThreads(view, projectId, offset, limit),
    viewCounts: () => engine.store.viewCounts(),
    openThread: ({ threadId: asked, before, limit }) => {
      const threadId = currentThreadId(asked)
      // Opening a thread (its newest page, not scrolling back) clears a mark of markUnread.
      if (before === undefined) engine.threadOpened(threadId)
      const thread = engine.store.thread(threadId)
      if (!thread) throw threadNotInInbox()
      return { thread, ...engine.store.messages(threadId, before, limit) }
    },
    exportThread: ({ threadId, includeInternalNotes }) =>
      exportThread(
        { store: engine.store, clock: engine.clock, online: engine.sync.online },
        currentThreadId(threadId),
        includeInternalNotes,
      ),

    createThread: (input) => {
      withinBodyLimit(input.body)
      return engine.outbox.newThread(input, signedIn())
    },
    reply: (input) => {
      withinBodyLimit(input.body)
      return engine.outbox.reply(input, signedIn())
    },
    markRead: ({ messageIds }) => {
      const marked = engine.outbox.markRead(messageIds)
      if (marked) engine.emitBadge()
      return { marked }
    },
    updateThread: ({ threadIds, ...patch }) => ({
      outboxIds: engine.outbox.triage(threadIds, patch),
    }),
    markUnread: ({ threadIds }) => ({ marked: engine.markUnread(threadIds) }),
    addParticipant: ({ threadId, userId }) => ({
      outboxId: engine.outbox.participant('add-participant', threadId, userId),
    }),
    removeParticipant: ({ threadId, userId }) => ({
      outboxId: engine.outbox.participant('remove-participant', threadId, userId),
    }),
    inviteToThread: (input) => engine.admin.inviteToThread(input),
    heldReplies: () => engine.admin.heldReplies(),
    postHeldReply: (input) => engine.admin.postHeldReply(input),
    discardHeldReply: (input) => engine.admin.discardHeldReply(input),

    listOutbox: () => engine.outbox.list(),
    retryOutbox: ({ id }) => engine.outbox.retry(id),
    discardOutbox: ({ id }) => engine.outbox.discard(id),
    editOutbox: ({ id, body }) => {
      withinBodyLimit(body)
      return engine.outbox.edit(id, body)
    },
    sendHeldAnyway: ({ id }) => engine.outbox.sendAnyway(id),

    stageBytes: ({ name, bytes }) => engine.files.stageBytes(name, bytes),
    stagePath: ({ path }) => engine.files.stagePath(path),
    unstage: async ({ id }) => {
      await engine.files.unstage(id)
      return { ok: true as const }
    },
    downloadAttachment: async ({ attachmentId }) => {
      const attachment = knownAttachment(attachmentId)
      return { path: await engine.files.download(engine.sync.api, attachment), attachment }
    },
    readAttachment: async ({ attachmentId }) => {
      const attachment = knownAttachment(attachmentId)
      return { bytes: await engine.files.read(engine.sync.api, attachment), attachment }
    },
    openAttachment: ({ attachmentId }) => engine.openAttachment(knownAttachment(attachmentId)),

    getDraft: ({ key }) => engine.store.getDraft(key),
    saveDraft: (draft) => engine.store.saveDraft(draft),
    deleteDraft: ({ key }) => {
      engine.store.deleteDraft(key)
      return { ok: true as const }
    },

    search: ({ query, limit }) => engine.store.search(query, limit),

    insights: (input) => engine.store.insights(input, nowDate(engine.clock)),

    getCompanySettings: () => engine.admin.getCompanySettings(),
    updateCompanySettings: (patch) => engine.admin.updateCompanySettings(patch),
    createProject: (body) => engine.admin.createProject(body),
    updateProject: (input) => engine.admin.updateProject(input),
    createPerson: (body) => engine.admin.createPerson(body),
    updatePerson: (input) => engine.admin.updatePerson(input),
    changePassword: (input) => engine.admin.changePassword(input),
    // issue 14: people
    signOutPerson: (input) => engine.admin.signOutPerson(input),
    resendInvitation: (input) => engine.admin.resendInvitation(input),
    getDigestSchedule: () => engine.admin.getDigestSchedule(),
    previewDigest: () => engine.admin.previewDigest(),

    getNotificationPreferences: () => engine.notificationPreferences(),
    setNotificationPreferences: (patch) => engine.setNotificationPreferences(patch),
    setFocus: ({ threadId, windowFocused }) => {
      engine.focus = { threadId, windowFocused }
      return { badge: engine.store.unreadTotal() }
    },
    // issue 14: who is notified
    whoIsNotified: (input) => engine.admin.whoIsNotified(input),
    // issue 14: settings
    getEmailAlerts: () => engine.admin.getEmailAlerts(),
    setEmailAlerts: (patch) => engine.admin.setEmailAlerts(patch),
    desktopAlertState: () => engine.desktopAlertState(),
    myMail: () => engine.admin.myMail(),
    sendTestMail: () => engine.admin.sendTestMail(),
    personMail: (input) => engine.admin.personMail(input),
  }

  const api = {} as Record<IpcMethod, (input: unknown) => Promise<unknown>>
  for (const method of Object.keys(handlers) as IpcMethod[]) {
    api[method] = async (input: unknown) => {
      const parsed = ipcInputs[method].safeParse(input ?? {})
      if (!parsed.success) throw invalidInput(method, parsed.error.issues[0], input)
      return (handlers[method] as (i: unknown) => unknown)(parsed.data)
    }
  }
  return api as unknown as EngineApi
}

/** What a transport sends back for a failed call: the code and the sentence, never a stack. */
export function errorBody(err: unknown): EngineErrorBody {
  if (err instanceof EngineError) return { code: err.code, message: err.message }
  return {
    code: 'INTERNAL',
    message:
      'Something went wrong in Portal Inbox. Try again; if it keeps happening, restart the app.',
  }
}
