import { shell, type Session, type WebContents } from 'electron'

/** The origin the renderer is served from: app:// in production, the dev server while developing. */
export const APP_ORIGIN = 'app://inbox'

export function trustedOrigins(devServerUrl: string | undefined): string[] {
  return devServerUrl ? [APP_ORIGIN, new URL(devServerUrl).origin] : [APP_ORIGIN]
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    // app://inbox/… has the origin "null" in WHATWG terms; compare scheme and host instead.
    return parsed.protocol === 'app:' ? `app://${parsed.host}` : parsed.origin
  } catch {
    return null
  }
}

export function isTrustedUrl(url: string, origins: string[]): boolean {
  const origin = originOf(url)
  return origin !== null && origins.includes(origin)
}

/**
 * Links from messages open in the system browser only when they are web pages or email
 * addresses. file:, smb:, javascript:, custom schemes and anything unparsable are refused: a
 * customer's message must never be able to start a program or reach a share on a staff machine.
 */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return (
      (parsed.protocol === 'https:' && parsed.hostname !== '') ||
      (parsed.protocol === 'mailto:' && parsed.pathname.includes('@'))
    )
  } catch {
    return false
  }
}

export async function openExternalSafely(url: string): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) return false
  // electronegativity-justified: reached only after isAllowedExternalUrl accepted an https: or mailto: URL; every other scheme is refused above.
  await shell.openExternal(url)
  return true
}

/** Navigation and new windows are denied; an allowed external link goes to the system browser instead. */
export function hardenWebContents(contents: WebContents, origins: string[]): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url, origins)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url, origins)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafely(url)
    return { action: 'deny' }
  })
}

/** Camera, microphone, geolocation, notifications from the page…: the inbox asks for none, so none is granted. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

export function enforceContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    })
  })
}
