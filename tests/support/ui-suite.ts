import { expect } from 'vitest'
import type { Api } from './api'
import { inboxSuite, type InboxSuiteOptions, type InboxTest, type NewThread } from './fixtures'
import { LAPTOP, openConversation, waitForInbox, type InboxPage, type InboxStack } from './inbox'

/**
 * The staff-inbox browser suites' set-up, once: a test names what it needs and reads as what it
 * proves. `inbox` is Sam's page, open on the inbox with its rows shown; `openInbox` opens one
 * later, for a test that changes the server first or wants another screen or language; every
 * page a test opened is closed when it ends, passed or failed. `customerThread` is a customer's
 * new conversation the server must take; `openCustomerThread` also opens it on Sam's page.
 */

export type OpenOptions = NonNullable<Parameters<InboxStack['open']>[0]>

export interface UiSuiteOptions extends InboxSuiteOptions {
  /** How a test's page opens when it does not say (a laptop screen by default). */
  page?: OpenOptions
}

/**
 * Remembers the pages a test opens and closes them when it ends, passed or failed, so a failing
 * test leaves no tab behind for the next one.
 */
export function closesAtEnd(onCleanup: (cleanup: () => Promise<void>) => void) {
  const opened: InboxPage[] = []
  onCleanup(async () => {
    await Promise.all(opened.map((inbox) => inbox.close()))
  })
  return (inbox: InboxPage): InboxPage => {
    opened.push(inbox)
    return inbox
  }
}

function pageFixtures(base: InboxTest, defaults: OpenOptions) {
  return base
    .extend('customerThread', { scope: 'file' }, ({ carla, newThread }) =>
      /** Posts a new conversation as the customer (Carla unless named); answers its id. */
      async (thread: NewThread, customer: Api = carla): Promise<string> => {
        const res = await newThread(customer, thread)
        expect(res.status).toBe(201)
        return res.body.thread.id as string
      },
    )
    .extend(
      'untilCarlaSees',
      { scope: 'file' },
      ({ stack, carla }) =>
        /** Waits until the server lists a thread with this subject to Carla. */
        (subject: string) =>
          stack.engine.until(async () => {
            const threads = (await carla.get('/threads')).body.threads as { subject: string }[]
            return threads.some((t) => t.subject === subject)
          }, 'the new thread to reach Carla'),
    )
    .extend('openInbox', ({ stack }, { onCleanup }) => {
      const closedAtEnd = closesAtEnd(onCleanup)
      return async (options: OpenOptions = {}): Promise<InboxPage> => {
        const inbox = closedAtEnd(await stack.open({ ...defaults, ...options }))
        await waitForInbox(inbox.page)
        return inbox
      }
    })
    .extend('inbox', ({ openInbox }) => openInbox())
    .extend('openCustomerThread', ({ customerThread, openInbox }) =>
      /** Carla's new conversation, opened on Sam's page once its row shows; answers both. */
      async (thread: NewThread, options?: OpenOptions) => {
        const threadId = await customerThread(thread)
        const inbox = await openInbox(options)
        await openConversation(inbox.page, thread.subject)
        return { threadId, ...inbox }
      },
    )
}

export type UiTest = ReturnType<typeof pageFixtures>

/** A file's browser tests with the fixtures above, on the stack inboxSuite starts. */
export function uiSuite<T = UiTest>(options: UiSuiteOptions = {}, own?: (it: UiTest) => T): T {
  const { page = { viewport: LAPTOP }, ...suite } = options
  return inboxSuite(suite, (base) => {
    const it = pageFixtures(base, page)
    return own ? own(it) : (it as T)
  })
}
