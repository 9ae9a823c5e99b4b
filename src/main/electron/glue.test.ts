import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', async () => (await import('./testing/fake-electron')).fake)
const {
  fake,
  handlers,
  shown,
  FakeTray,
  FakeWebContents,
  FakeSession,
  FakeDownloadItem,
  safeStorageState,
} = await import('./testing/fake-electron')
const { registerIpc, forwardEvents } = await import('./ipc')
const { NativeNotifications } = await import('./notifications')
const { InboxTray } = await import('./tray')
const { SafeStorageTokenStore } = await import('./credentials')
const { deepLinkInArgs, threadFromDeepLink } = await import('./deep-links')
const { EngineEvents } = await import('../core/events')
const { trustedOrigins } = await import('./security')
const { openWithSystem } = await import('./open-path')
const { reportDownloads } = await import('./downloads')

const thread = '01a216ed-06cd-755e-9145-a8ddf1dc0196'

describe('IPC', () => {
  const api = { listThreads: vi.fn(async () => ({ threads: [], total: 0 })) } as never
  beforeEach(() => {
    handlers.clear()
    registerIpc(
      new Proxy(api, {
        get: (t, k) => (t as Record<string, unknown>)[k as string] ?? (async () => 'ok'),
      }),
      trustedOrigins(undefined),
    )
  })

  it('registers exactly one handler per method of the contract', async () => {
    const { ipcMethodNames, methodChannel } = await import('../../shared/ipc-names')
    expect([...handlers.keys()].sort()).toEqual(ipcMethodNames.map(methodChannel).sort())
  })

  it('answers the app’s own frame', async () => {
    const result = await handlers.get('portal-inbox:listThreads')!(
      { senderFrame: { url: 'app://inbox/index.html', parent: null } },
      { view: 'all' },
    )
    expect(result).toEqual({ ok: true, result: { threads: [], total: 0 } })
  })

  it.each([
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['a file page', { url: 'file:///tmp/x.html', parent: null }],
    ['an iframe inside the app', { url: 'app://inbox/frame.html', parent: {} }],
    ['no frame at all', null],
  ])('refuses a call from %s', async (_name, senderFrame) => {
    const result = await handlers.get('portal-inbox:listThreads')!({ senderFrame }, { view: 'all' })
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('forwards engine events to the window', () => {
    const events = new EngineEvents()
    const contents = new FakeWebContents()
    forwardEvents(events, () => contents as never)
    events.emit('badge', { unread: 3 })
    expect(contents.sent).toEqual([{ channel: 'portal-inbox:event:badge', payload: { unread: 3 } }])
  })
})

describe('notifications and tray', () => {
  it('a notification click opens the right thread', () => {
    const opened: string[] = []
    const notifications = new NativeNotifications((id) => opened.push(id))
    notifications.show({
      kind: 'urgent',
      threadId: thread,
      messageId: thread,
      title: 'Urgent: Carla Mendes · Maple Street Remodel',
      body: 'Burst pipe',
      sound: true,
    })
    const n = shown.at(-1)!
    expect(n.options.title).toContain('Carla Mendes')
    n.emit('click')
    expect(opened).toEqual([thread])
  })

  it('pausing notifications for an hour shows none', () => {
    const notifications = new NativeNotifications(() => undefined)
    notifications.pause(3600_000)
    expect(
      notifications.show({
        kind: 'normal',
        threadId: thread,
        messageId: thread,
        title: 't',
        body: 'b',
        sound: false,
      }),
    ).toBeNull()
  })

  // issue 14: settings
  it('says whether the system can show alerts and until when the tray paused them', () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-07T10:20:00Z') })
    try {
      const notifications = new NativeNotifications(() => undefined)
      expect(notifications.state()).toEqual({ os: 'supported', pausedUntil: null })
      notifications.pause(3600_000)
      expect(notifications.state()).toEqual({
        os: 'supported',
        pausedUntil: '2026-12-07T11:20:00.000Z',
      })
      vi.setSystemTime(Date.parse('2026-12-07T11:20:00Z'))
      expect(notifications.state().pausedUntil).toBeNull()
      fake.Notification.isSupported = () => false
      expect(notifications.state().os).toBe('unsupported')
    } finally {
      fake.Notification.isSupported = () => true
      vi.useRealTimers()
    }
  })

  it('signing out, or a session the server ended, closes the notifications still shown', () => {
    const notifications = new NativeNotifications(() => undefined)
    const alert = (title: string) =>
      notifications.show({
        kind: 'urgent',
        threadId: thread,
        messageId: thread,
        title,
        body: 'Burst pipe',
        sound: true,
      })
    alert('Urgent: Carla Mendes · Maple Street Remodel')
    alert('2 new urgent messages')
    const [first, second] = shown.slice(-2)
    // One the person closed is forgotten at once; the other goes with the session.
    first!.close()
    const connection = (state: 'online' | 'signed-out') => ({
      state,
      reason: state === 'signed-out' ? 'Your session ended. Sign in again.' : null,
      serverUrl: 'http://127.0.0.1:4870',
      user: null,
      lastSyncedAt: null,
    })
    notifications.connectionChanged(connection('online'))
    expect(second!.closed).toBe(false)
    notifications.connectionChanged(connection('signed-out'))
    expect(second!.closed).toBe(true)
    // Nothing of the last person's is kept to close again.
    const third = alert('Urgent: Ben Okafor · Oak Ridge New Build')
    notifications.connectionChanged(connection('signed-out'))
    expect((third as unknown as { closed: boolean }).closed).toBe(true)
  })

  it('the tray count follows the unread count, with the dock badge', () => {
    const actions = { open: vi.fn(), pauseNotifications: vi.fn(), quit: vi.fn() }
    const tray = new InboxTray('tray.png', actions)
    expect(FakeTray.last!.tooltip).toBe('Portal Inbox: no unread messages')
    tray.setUnread(4)
    expect(FakeTray.last!.tooltip).toBe('Portal Inbox: 4 unread messages')
    expect(fake.app.setBadgeCount).toHaveBeenLastCalledWith(4)
    tray.setUnread(1)
    expect(FakeTray.last!.tooltip).toBe('Portal Inbox: 1 unread message')
    const menu = FakeTray.last!.menu as { items: { label?: string; click?: () => void }[] }
    menu.items.find((i) => i.label === 'Pause notifications for an hour')!.click!()
    expect(actions.pauseNotifications).toHaveBeenCalled()
  })
})

describe('credentials', () => {
  const token = 'super-secret-session-token-123'
  it('the token is never written in plain text', async () => {
    safeStorageState.backend = 'gnome_libsecret'
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'portal-cred-')), 'session.bin')
    const store = new SafeStorageTokenStore(file)
    await store.save(token)
    const onDisk = await fs.readFile(file)
    expect(onDisk.toString('latin1')).not.toContain(token)
    expect(onDisk.toString('utf8')).not.toContain(token)
    expect(await new SafeStorageTokenStore(file).load()).toBe(token)
    await store.clear()
    await expect(fs.access(file)).rejects.toThrow()
  })

  it('with only the basic_text backend the token stays in memory, and the person is told', async () => {
    safeStorageState.backend = 'basic_text'
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portal-cred-'))
    const store = new SafeStorageTokenStore(path.join(dir, 'session.bin'))
    await store.save(token)
    expect(await store.load()).toBe(token)
    expect(await fs.readdir(dir)).toEqual([])
    expect(store.status.warning).toMatch(/keyring/)
    safeStorageState.backend = 'gnome_libsecret'
  })
})

describe('deep links', () => {
  it('portal-inbox://thread/<id> opens that thread; anything else opens nothing', () => {
    expect(threadFromDeepLink(`portal-inbox://thread/${thread}`)).toBe(thread)
    expect(threadFromDeepLink(`portal-inbox://thread/${thread}/`)).toBe(thread)
    expect(threadFromDeepLink('portal-inbox://thread/../../etc')).toBeNull()
    expect(threadFromDeepLink(`https://thread/${thread}`)).toBeNull()
    expect(
      deepLinkInArgs(['/usr/bin/portal-inbox', '--flag', `portal-inbox://thread/${thread}`]),
    ).toBe(thread)
  })
})

describe('opening attachments', () => {
  it('opens with shell.openPath and turns its error string into false, with a warning', async () => {
    const warnings: string[] = []
    expect(await openWithSystem('/data/files/open/a/plan.pdf', (m) => warnings.push(m))).toBe(true)
    expect(fake.shell.openPath).toHaveBeenLastCalledWith('/data/files/open/a/plan.pdf')
    fake.shell.openPath.mockResolvedValueOnce('No application is registered for .pdf')
    expect(await openWithSystem('/data/files/open/a/plan.pdf', (m) => warnings.push(m))).toBe(false)
    expect(warnings).toEqual([expect.stringContaining('No application is registered')])
  })
})

describe('saving files', () => {
  it('tells the page how each file it saved ended: where it went, or that nothing was written', () => {
    const session = new FakeSession()
    const contents = new FakeWebContents()
    const stop = reportDownloads(session as never)
    const name = 'Maple Street Remodel - Tile selection - 2026-12-07.pdf'
    const saved = new FakeDownloadItem(name)
    // Electron's own Save dialog asks where: the glue sets no path of its own.
    session.emit('will-download', {}, saved, contents)
    expect(contents.sent).toEqual([])
    saved.finish('completed', `/home/sam/Documents/${name}`)
    const cancelled = new FakeDownloadItem('showroom-tile.png')
    session.emit('will-download', {}, cancelled, contents)
    cancelled.finish('cancelled')
    expect(contents.sent).toEqual([
      {
        channel: 'portal-inbox:download',
        payload: { name, state: 'completed', path: `/home/sam/Documents/${name}` },
      },
      {
        channel: 'portal-inbox:download',
        payload: { name: 'showroom-tile.png', state: 'cancelled', path: null },
      },
    ])
    stop()
    expect(session.listenerCount('will-download')).toBe(0)
  })
})
