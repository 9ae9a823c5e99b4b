import { beforeEach, describe, expect, it } from 'vitest'
import { emptyChanges, ids, signedInStore, thread, uuid } from './fixtures'
import type { CacheStore } from './store'

let store: CacheStore
beforeEach(() => {
  store = signedInStore()
})
describe('drafts', () => {
  it('keeps the newest version of each draft, with when it was saved', () => {
    expect(store.getDraft('new')).toBeNull()
    const saved = store.saveDraft(
      { key: 'new', body: 'Hello', internal: false, subject: 'Tiles', projectId: ids.maple },
      '2026-03-01T10:00:00.000Z',
    )
    expect(saved).toEqual({
      key: 'new',
      body: 'Hello',
      internal: false,
      subject: 'Tiles',
      projectId: ids.maple,
      updatedAt: '2026-03-01T10:00:00.000Z',
    })
    expect(store.getDraft('new')).toEqual(saved)
    store.saveDraft(
      { key: uuid(1), body: 'Note for Tess', internal: true },
      '2026-03-01T10:05:00.000Z',
    )
    store.saveDraft(
      { key: 'new', body: 'Hello again', internal: false },
      '2026-03-01T10:06:00.000Z',
    )
    expect(store.getDraft('new')).toEqual({
      key: 'new',
      body: 'Hello again',
      internal: false,
      updatedAt: '2026-03-01T10:06:00.000Z',
    })
    expect(store.getDraft(uuid(1))).toMatchObject({ body: 'Note for Tess', internal: true })
  })

  it('deletes a draft saved with nothing in it, keeps one with only a subject', () => {
    store.saveDraft({ key: 'new', body: 'Hello', internal: false })
    store.saveDraft({ key: 'new', body: '  \n', internal: false, subject: ' ' })
    expect(store.getDraft('new')).toBeNull()
    store.saveDraft({ key: 'new', body: '', internal: false, subject: 'Only a subject' })
    expect(store.getDraft('new')?.subject).toBe('Only a subject')
    store.deleteDraft('new')
    expect(store.getDraft('new')).toBeNull()
  })

  it('are wiped on sign-out and dropped with a thread the user lost access to', () => {
    store.apply(emptyChanges({ threads: [thread(1)] }))
    store.saveDraft({ key: uuid(1), body: 'Reply', internal: false })
    store.saveDraft({ key: 'new', body: 'New', internal: false })
    store.apply(emptyChanges({ removedThreadIds: [uuid(1)] }))
    expect(store.getDraft(uuid(1))).toBeNull()
    expect(store.getDraft('new')).not.toBeNull()
    store.wipe()
    expect(store.getDraft('new')).toBeNull()
  })
})
