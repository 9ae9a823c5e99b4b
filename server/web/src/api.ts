import { z } from 'zod'
import {
  AttachmentUpload,
  ErrorBodySchema,
  ForgotPasswordResult,
  Me,
  MessagePage,
  Preferences,
  ProjectList,
  PeopleList,
  SearchResult,
  Session,
  SessionsEnded,
  ThreadList,
  ThreadSummary,
  ThreadWithMessage,
  type NewThreadBody,
  type MessageDraft,
} from '../../../src/shared/protocol'

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
 * The portal page's calls. The session is an HttpOnly cookie the page never sees; every request
 * says it comes from the page (X-Portal-Client), which the server requires for writes.
 */
async function call<S extends z.ZodType>(
  schema: S,
  method: string,
  path: string,
  body?: unknown,
): Promise<z.output<S>> {
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
  return schema.parse(data)
}

export const api = {
  signIn: (email: string, password: string) =>
    call(Session, 'POST', '/auth/sign-in', { email, password }),
  setPassword: (token: string, password: string) =>
    call(Session, 'POST', '/auth/set-password', { token, password }),
  forgotPassword: (email: string) =>
    call(ForgotPasswordResult, 'POST', '/auth/forgot-password', { email }),
  signOut: () => call(z.object({ ok: z.literal(true) }), 'POST', '/auth/sign-out', {}),
  me: () => call(Me, 'GET', '/me'),
  changePassword: (currentPassword: string, newPassword: string) =>
    call(SessionsEnded, 'POST', '/me/password', { currentPassword, newPassword }),
  setPreferences: (patch: Partial<Preferences>) =>
    call(Preferences, 'PATCH', '/me/preferences', patch),
  projects: () => call(ProjectList, 'GET', '/projects'),
  people: () => call(PeopleList, 'GET', '/people'),
  threads: (cursor?: string) =>
    call(
      ThreadList,
      'GET',
      `/threads?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  thread: (id: string) => call(ThreadSummary, 'GET', `/threads/${id}`),
  messages: (id: string) => call(MessagePage, 'GET', `/threads/${id}/messages?limit=500`),
  createThread: (body: NewThreadBody) => call(ThreadWithMessage, 'POST', '/threads', body),
  reply: (threadId: string, body: MessageDraft) =>
    call(ThreadWithMessage, 'POST', `/threads/${threadId}/messages`, body),
  markThreadRead: (id: string) =>
    call(z.object({ reads: z.array(z.unknown()) }), 'POST', `/threads/${id}/read`, {}),
  markRead: (messageIds: string[]) =>
    call(z.object({ reads: z.array(z.unknown()) }), 'POST', '/reads', { messageIds }),
  search: (q: string) => call(SearchResult, 'GET', `/search?q=${encodeURIComponent(q)}`),
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
    xhr.open('POST', `/api/v1/projects/${projectId}/attachments?clientId=${clientId}`)
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

export const downloadUrl = (attachmentId: string) => `/api/v1/attachments/${attachmentId}`
