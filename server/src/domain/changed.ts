/**
 * What one committed write touched. Repositories fill it inside their transaction; after the
 * commit the realtime publisher loads the entities fresh and pushes them to the rooms that may see
 * them, and re-checks the rooms of people whose access moved.
 */
export class Changed {
  readonly threadIds = new Set<string>()
  readonly messageIds = new Set<string>()
  readonly reads: { messageId: string; userId: string }[] = []
  readonly projectIds = new Set<string>()
  readonly personIds = new Set<string>()
  readonly removed: { userId: string; threadId: string }[] = []
  /** People whose rooms must be recomputed (added, removed, reassigned, access switched). */
  readonly accessUserIds = new Set<string>()
  /**
   * Sessions this write ended (a password or email change, sign out everywhere, access turned
   * off): their live connections are told why and closed after the commit. `exceptHash` is the
   * session the change was made in, when it stays.
   */
  readonly endedSessions: { userId: string; exceptHash?: string; message: string }[] = []
  settings = false
  /** Mail rows were queued: wake the mail sender. */
  mail = false

  constructor(readonly companyId: string) {}

  get empty(): boolean {
    return (
      !this.threadIds.size &&
      !this.messageIds.size &&
      !this.reads.length &&
      !this.projectIds.size &&
      !this.personIds.size &&
      !this.removed.length &&
      !this.accessUserIds.size &&
      !this.endedSessions.length &&
      !this.settings
    )
  }
}
