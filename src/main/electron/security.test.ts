import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', async () => (await import('./testing/fake-electron')).fake)
const { fake, FakeWebContents } = await import('./testing/fake-electron')
const {
  hardenWebContents,
  isAllowedExternalUrl,
  isTrustedUrl,
  openExternalSafely,
  trustedOrigins,
} = await import('./security')

const origins = trustedOrigins(undefined)

describe('openExternal guard', () => {
  it.each(['https://example.com/plan.pdf', 'mailto:sam@example.com'])(
    'opens %s in the system browser or mail app',
    async (url) => {
      expect(isAllowedExternalUrl(url)).toBe(true)
    },
  )
  it.each([
    'file:///etc/passwd',
    'smb://fileserver/share',
    'javascript:alert(1)',
    'http://plain.example',
    'ms-msdt:/id',
    'vbscript:x',
    'data:text/html,<b>x',
    'ftp://x',
    'not a url',
    'mailto:',
    'https://',
  ])('refuses %s', async (url) => {
    fake.shell.openExternal.mockClear()
    expect(isAllowedExternalUrl(url)).toBe(false)
    expect(await openExternalSafely(url)).toBe(false)
    expect(fake.shell.openExternal).not.toHaveBeenCalled()
  })
})

describe('web contents', () => {
  let contents: InstanceType<typeof FakeWebContents>
  beforeEach(() => {
    contents = new FakeWebContents()
    hardenWebContents(contents as never, origins)
    fake.shell.openExternal.mockClear()
  })

  it('refuses navigation to another origin and allows the app’s own pages', () => {
    expect(contents.fire('will-navigate', 'https://evil.example/')).toBe(true)
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(contents.fire('will-redirect', 'https://evil.example/')).toBe(true)
    expect(contents.fire('will-navigate', 'app://inbox/index.html')).toBe(false)
  })

  it('denies window.open, sending allowed links to the system browser only', async () => {
    expect(contents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    expect(contents.openHandler?.({ url: 'file:///C:/Windows/System32/calc.exe' })).toEqual({
      action: 'deny',
    })
    await new Promise((r) => setTimeout(r, 0))
    expect(fake.shell.openExternal).toHaveBeenCalledTimes(1)
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://example.com/')
  })

  it('refuses webviews', () => {
    expect(contents.fire('will-attach-webview')).toBe(true)
  })

  it('trusts only app:// (and the dev server while developing)', () => {
    expect(isTrustedUrl('app://inbox/index.html', origins)).toBe(true)
    expect(isTrustedUrl('app://other/index.html', origins)).toBe(false)
    expect(isTrustedUrl('http://localhost:5173/', origins)).toBe(false)
    expect(isTrustedUrl('http://localhost:5173/', trustedOrigins('http://localhost:5173'))).toBe(
      true,
    )
  })
})
