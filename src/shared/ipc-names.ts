/**
 * The names of the contract's methods and events, with no dependency at all: the sandboxed
 * preload builds its bridge from these and must stay small and import nothing but electron.
 * src/shared/ipc.ts checks at compile time that they match the contract exactly.
 */
export const ipcMethodNames = [
  'signIn',
  'requestPasswordReset',
  'signOut',
  'getConnection',
  'syncNow',
  'listProjects',
  'listPeople',
  'getSettings',
  'listThreads',
  'viewCounts',
  'openThread',
  'exportThread',
  'createThread',
  'reply',
  'markRead',
  'updateThread',
  'markUnread',
  'addParticipant',
  'removeParticipant',
  'inviteToThread',
  'listOutbox',
  'retryOutbox',
  'discardOutbox',
  'editOutbox',
  'sendHeldAnyway',
  'heldReplies',
  'postHeldReply',
  'discardHeldReply',
  'stageBytes',
  'stagePath',
  'unstage',
  'downloadAttachment',
  'readAttachment',
  'openAttachment',
  'getDraft',
  'saveDraft',
  'deleteDraft',
  'search',
  'insights',
  'getCompanySettings',
  'updateCompanySettings',
  'createProject',
  'updateProject',
  'createPerson',
  'updatePerson',
  'changePassword',
  'getNotificationPreferences',
  'setNotificationPreferences',
  'setFocus',
  // issue 14: who is notified
  'whoIsNotified',
  // issue 14: people
  'signOutPerson',
  'resendInvitation',
  'getDigestSchedule',
  'previewDigest',
  // issue 14: settings (email alerts, desktop alert state, test mail, delivery log)
  'getEmailAlerts',
  'setEmailAlerts',
  'desktopAlertState',
  'myMail',
  'sendTestMail',
  'personMail',
] as const

export const ipcEventNames = [
  'connection',
  'syncProgress',
  'changed',
  'notification',
  'badge',
  'transfer',
  'navigate',
] as const

export type IpcMethodName = (typeof ipcMethodNames)[number]
export type IpcEventName = (typeof ipcEventNames)[number]

/** The channel a method travels on in Electron; events use `portal-inbox:event:<name>`. */
export const methodChannel = (method: IpcMethodName) => `portal-inbox:${method}`
export const eventChannel = (event: IpcEventName) => `portal-inbox:event:${event}`
export const COMMAND_CHANNEL = 'portal-inbox:command'
/** Electron tells the page how a file it saved ended (src/main/electron/downloads.ts). */
export const DOWNLOAD_CHANNEL = 'portal-inbox:download'
