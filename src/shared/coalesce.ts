/**
 * Runs a piece of work now, or, when it is already running, once more right after: calls made
 * during a run coalesce into a single further pass, so nothing that asked is missed and the work
 * never runs twice at once. The outbox's sender and the server's mail sender both drain a queue
 * this way; the desktop's change-feed pull and attachment prefetch run so too.
 */
export class CoalescedRun {
  private running: Promise<void> | null = null
  private again = false

  constructor(
    private readonly work: () => Promise<void>,
    private readonly stopped: () => boolean = () => false,
  ) {}

  run(): Promise<void> {
    if (this.stopped()) return Promise.resolve()
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      do {
        this.again = false
        await this.work()
      } while (this.again && !this.stopped())
    })().finally(() => {
      this.running = null
    })
    return this.running
  }

  /** Whether a run is in progress (a call now only asks for one more pass). */
  get busy(): boolean {
    return this.running !== null
  }

  /** Resolves when no run is in progress. */
  get idle(): Promise<void> {
    return this.running ?? Promise.resolve()
  }
}
