import { describe, expect, it } from 'vitest'
import { ipcInputs } from './ipc'
import { NewThreadBody } from './protocol'

describe('saveDraft input', () => {
  // A pasted subject over the sending limit must still be saved with the draft (and the body
  // with it): the form says the limit, the draft keeps the words until the person shortens them.
  it('keeps a subject longer than a conversation may be sent with', () => {
    const subject = 'Kitchen '.repeat(40)
    expect(NewThreadBody.shape.subject.safeParse(subject).success).toBe(false)
    const saved = ipcInputs.saveDraft.parse({ key: 'new', body: 'All of it', subject })
    expect(saved.subject).toBe(subject)
    expect(saved.body).toBe('All of it')
  })
})
