import { z } from 'zod'
import {
  AttachmentUpload,
  ErrorBodySchema,
  UnsubscribeResult,
  type Preferences,
} from '../../../src/shared/protocol'
import {
  pathOf,
  queryString,
  routes,
  type RouteBody,
  type RouteInput,
  type RouteResponse,
  type RouteSpec,
} from '../../../src/shared/protocol/routes'

// zod would otherwise probe eval() once, which the page's CSP forbids (and reports).
z.config({ jitless: true })

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The portal page's calls, built from the shared route table. The session is an HttpOnly cookie
 * the page never sees; every request says it comes from the page (X-Portal-Client), which the
 * server requires for writes.
 */
async function call<R extends RouteSpec>(spec: R, input: RouteInput<R>): Promise<RouteResponse<R>> {
  const body: unknown = input.body ?? (spec.method === 'POST' ? {} : undefined)
  const path = `${pathOf(spec, input.params)}${queryString(input.query)}`
  return spec.response.parse(await send(spec.method, path, body)) as RouteResponse<R>
}

/** One request to the API, the answer's JSON or the server's error as an ApiError. */
async function send(method: string, path: string, body: unknown): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        'X-Portal-Client': 'web',
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    })
  } catch {
    throw new ApiError(
      0,
      'OFFLINE',
      'The portal cannot be reached. Check your internet connection and try again.',
    )
  }
  const data: unknown = res.status === 204 ? null : await res.json().catch(() => null)
  if (!res.ok) {
    const parsed = ErrorBodySchema.safeParse(data)
    throw new ApiError(
      res.status,
      parsed.success ? parsed.data.error.code : 'INTERNAL',
      parsed.success
        ? parsed.data.error.message
        : `Something went wrong (${res.status}). Please try again.`,
    )
  }
  return data
}

export const api = {
  signIn: (body: RouteBody<typeof routes.signIn>) => call(routes.signIn, { body }),
  setPassword: (body: RouteBody<typeof routes.setPassword>) => call(routes.setPassword, { body }),
  forgotPassword: (body: RouteBody<typeof routes.forgotPassword>) =>
    call(routes.forgotPassword, { body }),
  signOut: () => call(routes.signOut, {}),
  me: () => call(routes.me, {}),
  changePassword: (currentPassword: string, newPassword: string) =>
    call(routes.changePassword, { body: { currentPassword, newPassword } }),
  setPreferences: (patch: Partial<Preferences>) => call(routes.setPreferences, { body: patch }),
  projects: () => call(routes.projects, {}),
  people: () => call(routes.people, {}),
  threads: (cursor?: string) => call(routes.threads, { query: { limit: 100, cursor } }),
  thread: (threadId: string) => call(routes.thread, { params: { threadId } }),
  messages: (threadId: string) =>
    call(routes.messages, { params: { threadId }, query: { limit: 500 } }),
  createThread: (body: RouteBody<typeof routes.createThread>) =>
    call(routes.createThread, { body }),
  reply: (threadId: string, body: RouteBody<typeof routes.reply>) =>
    call(routes.reply, { params: { threadId }, body }),
  markThreadRead: (threadId: string) => call(routes.markThreadRead, { params: { threadId } }),
  markRead: (messageIds: string[]) => call(routes.markRead, { body: { messageIds } }),
  search: (q: string) => call(routes.search, { query: { q } }),
  // issue 14: portal links
  signInLink: (body: RouteBody<typeof routes.signInLink>) => call(routes.signInLink, { body }),
  signInWithLink: (token: string) => call(routes.signInWithLink, { body: { token } }),
  /** The one-click unsubscribe of a mail's List-Unsubscribe link (not in the route table: its token is no id). */
  unsubscribe: async (token: string) =>
    UnsubscribeResult.parse(await send('POST', `/unsubscribe/${encodeURIComponent(token)}`, {})),
}

/** Uploads one file with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function uploadFile(
  projectId: string,
  clientId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<z.output<typeof AttachmentUpload>['attachment']> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(
      routes.upload.method,
      `/api/v1${pathOf(routes.upload, { projectId })}${queryString({ clientId })}`,
    )
    xhr.setRequestHeader('X-Portal-Client', 'web')
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.onerror = () =>
      reject(
        new ApiError(
          0,
          'OFFLINE',
          `"${file.name}" could not be uploaded: the connection dropped. Try again.`,
        ),
      )
    xhr.onload = () => {
      let data: unknown = null
      try {
        data = JSON.parse(xhr.responseText)
      } catch {
        /* keep null */
      }
      if (xhr.status >= 200 && xhr.status < 300)
        return resolve(AttachmentUpload.parse(data).attachment)
      const parsed = ErrorBodySchema.safeParse(data)
      reject(
        new ApiError(
          xhr.status,
          parsed.success ? parsed.data.error.code : 'INTERNAL',
          parsed.success ? parsed.data.error.message : `"${file.name}" could not be uploaded.`,
        ),
      )
    }
    const form = new FormData()
    form.append('file', file, file.name)
    xhr.send(form)
  })
}

export const downloadUrl = (attachmentId: string) =>
  `/api/v1${pathOf(routes.download, { attachmentId })}`
