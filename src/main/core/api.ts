import axios, { AxiosError, type AxiosInstance, type AxiosProgressEvent } from 'axios'
import type { z } from 'zod'
import {
  AttachmentUpload,
  ChangesPage,
  CompanySettings,
  ErrorBodySchema,
  type ChangePasswordBody,
  ForgotPasswordResult,
  InvitationResult,
  type InvitationBody,
  Me,
  SessionsEnded,
  Person,
  PersonResult,
  ProjectResult,
  Session,
  Thread,
  ThreadWithMessage,
  ReadResult,
  type NewPersonBody,
  type NewProjectBody,
  type NewThreadBody,
  type MessageDraft,
  type PersonPatch,
  type ProjectPatch,
  type SettingsPatch,
} from '../../shared/protocol'

/**
 * How a call to the portal server failed, in the three ways that matter to an outbox:
 * `network` (no answer: retry later), `server` (5xx, or 408/429: retry later) and `rejected`
 * (4xx: the server understood and said no; retrying the same request will not help).
 * `retryAfterMs` is the server's own "not before" (Retry-After on a 429 or 503), which a retry
 * must honour rather than its own backoff.
 */
export class ApiError extends Error {
  constructor(
    readonly kind: 'network' | 'server' | 'rejected',
    message: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
    readonly details: unknown = undefined,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message)
  }

  get retryable(): boolean {
    return this.kind !== 'rejected'
  }
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err
  if (err instanceof AxiosError) {
    if (!err.response)
      return new ApiError(
        'network',
        `The portal server cannot be reached (${err.code ?? err.message}).`,
      )
    const parsed = ErrorBodySchema.safeParse(err.response.data)
    const status = err.response.status
    const message = parsed.success
      ? parsed.data.error.message
      : `The portal server answered ${status}.`
    const code = parsed.success ? parsed.data.error.code : null
    // 408 and 429 are refusals of this moment, not of the request: try again later.
    if (status >= 500 || status === 408 || status === 429)
      return new ApiError(
        'server',
        message,
        status,
        code,
        undefined,
        retryAfterMs(err.response.headers['retry-after']),
      )
    return new ApiError(
      'rejected',
      message,
      status,
      code,
      parsed.success ? parsed.data.error.details : undefined,
    )
  }
  return new ApiError('network', err instanceof Error ? err.message : String(err))
}

/** Retry-After in seconds (the server sends seconds; an HTTP date is not worth a clock here). */
function retryAfterMs(header: unknown): number | null {
  const seconds = typeof header === 'string' ? Number(header) : NaN
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null
}

/** Calls the portal server and parses every answer with the shared wire schemas. */
export class PortalApi {
  private readonly http: AxiosInstance

  constructor(
    readonly baseUrl: string,
    private token: string | null = null,
    timeoutMs = 20_000,
  ) {
    this.http = axios.create({
      baseURL: `${baseUrl.replace(/\/$/, '')}/api/v1`,
      timeout: timeoutMs,
      maxContentLength: Infinity,
      maxBodyLength: Infinity,
    })
    this.http.interceptors.request.use((config) => {
      if (this.token) config.headers.set('Authorization', `Bearer ${this.token}`)
      return config
    })
  }

  setToken(token: string | null): void {
    this.token = token
  }

  private async call<S extends z.ZodType>(
    schema: S,
    run: () => Promise<{ data: unknown }>,
  ): Promise<z.output<S>> {
    let data: unknown
    try {
      data = (await run()).data
    } catch (err) {
      throw toApiError(err)
    }
    const parsed = schema.safeParse(data)
    if (!parsed.success)
      throw new ApiError(
        'server',
        `The portal server sent an answer this app does not understand (${parsed.error.issues[0]?.message ?? 'invalid'}). Update the app or the server.`,
      )
    return parsed.data
  }

  signIn(email: string, password: string) {
    return this.call(Session, () => this.http.post('/auth/sign-in', { email, password }))
  }

  /** Asks the server to mail a reset link; its answer is the same whether or not the account exists. */
  forgotPassword(email: string) {
    return this.call(ForgotPasswordResult, () => this.http.post('/auth/forgot-password', { email }))
  }

  async signOut(): Promise<void> {
    try {
      await this.http.post('/auth/sign-out', {})
    } catch (err) {
      throw toApiError(err)
    }
  }

  me() {
    return this.call(Me, () => this.http.get('/me'))
  }

  changePassword(body: z.input<typeof ChangePasswordBody>) {
    return this.call(SessionsEnded, () => this.http.post('/me/password', body))
  }

  changes(after: number, limit: number) {
    return this.call(ChangesPage, () => this.http.get('/changes', { params: { after, limit } }))
  }

  createThread(body: NewThreadBody) {
    return this.call(ThreadWithMessage, () => this.http.post('/threads', body))
  }

  reply(threadId: string, body: MessageDraft) {
    return this.call(ThreadWithMessage, () => this.http.post(`/threads/${threadId}/messages`, body))
  }

  markRead(messageIds: string[]) {
    return this.call(ReadResult, () => this.http.post('/reads', { messageIds }))
  }

  updateThread(threadId: string, patch: Record<string, unknown>) {
    return this.call(Thread, () => this.http.patch(`/threads/${threadId}`, patch))
  }

  addParticipant(threadId: string, userId: string) {
    return this.call(Thread, () => this.http.post(`/threads/${threadId}/participants`, { userId }))
  }

  inviteToThread(threadId: string, body: z.output<typeof InvitationBody>) {
    return this.call(InvitationResult, () =>
      this.http.post(`/threads/${threadId}/invitations`, body),
    )
  }

  removeParticipant(threadId: string, userId: string) {
    return this.call(Thread, () => this.http.delete(`/threads/${threadId}/participants/${userId}`))
  }

  people() {
    return this.call(Person.array(), async () => ({
      data: (await this.http.get('/people')).data.people,
    }))
  }

  // ---- admin (the server answers FORBIDDEN to anyone but an admin) ----

  companySettings() {
    return this.call(CompanySettings, () => this.http.get('/admin/settings'))
  }

  updateCompanySettings(patch: z.output<typeof SettingsPatch>) {
    return this.call(CompanySettings, () => this.http.patch('/admin/settings', patch))
  }

  async createProject(body: z.output<typeof NewProjectBody>) {
    return (await this.call(ProjectResult, () => this.http.post('/admin/projects', body))).project
  }

  async updateProject(projectId: string, patch: z.output<typeof ProjectPatch>) {
    return (
      await this.call(ProjectResult, () => this.http.patch(`/admin/projects/${projectId}`, patch))
    ).project
  }

  async createPerson(body: z.output<typeof NewPersonBody>) {
    return (await this.call(PersonResult, () => this.http.post('/admin/people', body))).person
  }

  async updatePerson(personId: string, patch: z.output<typeof PersonPatch>) {
    return (
      await this.call(PersonResult, () => this.http.patch(`/admin/people/${personId}`, patch))
    ).person
  }

  upload(
    projectId: string,
    clientId: string,
    name: string,
    file: Blob,
    onProgress?: (done: number, total: number) => void,
  ) {
    const form = new FormData()
    form.append('file', file, name)
    return this.call(AttachmentUpload, () =>
      this.http.post(`/projects/${projectId}/attachments`, form, {
        params: { clientId },
        timeout: 0,
        onUploadProgress: (e: AxiosProgressEvent) => onProgress?.(e.loaded, e.total ?? file.size),
      }),
    )
  }

  /** Streams an attachment; the caller writes it to disk. */
  async download(
    attachmentId: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<NodeJS.ReadableStream> {
    try {
      const res = await this.http.get(`/attachments/${attachmentId}`, {
        responseType: 'stream',
        timeout: 0,
        onDownloadProgress: (e: AxiosProgressEvent) => onProgress?.(e.loaded, e.total ?? 0),
      })
      return res.data as NodeJS.ReadableStream
    } catch (err) {
      throw toApiError(err)
    }
  }
}
