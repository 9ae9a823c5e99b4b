import { describe, expect, it } from 'vitest'
import { ipcInputs, type IpcMethod } from '../../shared/ipc'
import { invalidInput } from './errors'

const thread = '01a216ed-06cd-755e-9145-a8ddf1dc0196'

/** What the handler map answers for an input its schema refuses. */
function refusal(method: IpcMethod, input: unknown): string {
  const parsed = ipcInputs[method].safeParse(input)
  if (parsed.success) throw new Error(`${method} accepted ${JSON.stringify(input)}`)
  const error = invalidInput(method, parsed.error.issues[0], input)
  expect(error.code).toBe('INVALID_INPUT')
  return error.message
}

describe('a refused input, in words', () => {
  it('a reply over what Portal Inbox sends names its length and what to do, never zod’s text', () => {
    const message = refusal('reply', { threadId: thread, body: 'x'.repeat(200_000) })
    expect(message).toBe(
      'The message is 200,000 characters; Portal Inbox sends at most 100,000. Split it, or attach it as a document.',
    )
  })

  it.each([
    ['createThread', { projectId: thread, subject: '   ', body: 'Hi' }, 'Write the subject first.'],
    [
      'saveDraft',
      { key: thread, body: 'x'.repeat(1_000_001) },
      'The draft is 1,000,001 characters; at most 1,000,000 fit. Shorten it.',
    ],
    [
      'signIn',
      { serverUrl: 'not a url', email: 'sam@x.test', password: 'p' },
      'Check the server address: it is not in a form Portal Inbox knows.',
    ],
    [
      'markRead',
      { messageIds: Array.from({ length: 1001 }, () => thread) },
      'Too many in the messages at once: at most 1,000.',
    ],
    // A field without a word of its own still gets a sentence, never its path.
    [
      'openThread',
      { threadId: 'nope' },
      'Check what was entered: it is not in a form Portal Inbox knows.',
    ],
  ] as const)('%s', (method, input, expected) => {
    expect(refusal(method, input)).toBe(expected)
  })

  it('says nothing of methods, paths or schemas for any refusal', () => {
    for (const [method, input] of [
      ['reply', { threadId: thread, body: 5 }],
      ['updateThread', { threadIds: [] }],
      ['search', { query: 'x'.repeat(501) }],
    ] as const) {
      const message = refusal(method, input)
      expect(message).not.toMatch(/reply:|threadIds|body:|Too (big|small)|expected|Invalid input/)
      expect(message).toMatch(/^[A-Z].*\.$/)
    }
  })
})
