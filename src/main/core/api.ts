import axios, {
  AxiosError,
  type AxiosInstance,
  type AxiosProgressEvent,
  type AxiosRequestConfig,
} from 'axios'
import type { z } from 'zod'
import { ErrorBodySchema, type DesktopAlerts } from '../../shared/protocol'
import {
  pathOf,
  routes,
  type RouteBody,
  type RouteInput,
  type RouteResponse,
  type RouteSpec,
} from '../../shared/protocol/routes'

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

/** The body of a POST that has none: an empty JSON object. */
const EMPTY_JSON: AxiosRequestConfig = { data: {} }

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

  /** One call of the shared route table; the answer is parsed with the route's schema. */
  private send<R extends RouteSpec>(
    spec: R,
    input: RouteInput<R>,
    config: AxiosRequestConfig = {},
  ): Promise<RouteResponse<R>> {
    return this.call<R['response']>(spec.response, () => this.request(spec, input, config))
  }

  private request<R extends RouteSpec>(
    spec: R,
    input: RouteInput<R>,
    config: AxiosRequestConfig = {},
  ): Promise<{ data: unknown }> {
    return this.http.request({
      method: spec.method,
      url: pathOf(spec, input.params),
      // A POST or PATCH the table gives no body still sends JSON ({}): the server takes JSON
      // only, and answers a write without a content type 415.
      data: input.body ?? (spec.method === 'POST' || spec.method === 'PATCH' ? {} : undefined),
      params: input.query,
      ...config,
    })
  }

  signIn(email: string, password: string) {
    return this.send(routes.signIn, { body: { email, password } })
  }

  /** Asks the server to mail a reset link; its answer is the same whether or not the account exists. */
  forgotPassword(email: string) {
    return this.send(routes.forgotPassword, { body: { email } })
  }

  async signOut(): Promise<void> {
    try {
      await this.request(routes.signOut, { body: undefined }, { data: {} })
    } catch (err) {
      throw toApiError(err)
    }
  }

  me() {
    return this.send(routes.me, {})
  }

  changePassword(body: RouteBody<typeof routes.changePassword>) {
    return this.send(routes.changePassword, { body })
  }

  changes(after: number, limit: number) {
    return this.send(routes.changes, { query: { after, limit } })
  }

  createThread(body: RouteBody<typeof routes.createThread>) {
    return this.send(routes.createThread, { body })
  }

  reply(threadId: string, body: RouteBody<typeof routes.reply>) {
    return this.send(routes.reply, { params: { threadId }, body })
  }

  markRead(messageIds: string[]) {
    return this.send(routes.markRead, { body: { messageIds } })
  }

  /** The outbox keeps the patch as it was queued; the server checks it against ThreadPatch. */
  updateThread(threadId: string, patch: Record<string, unknown>) {
    return this.send(routes.updateThread, {
      params: { threadId },
      body: patch as RouteBody<typeof routes.updateThread>,
    })
  }

  addParticipant(threadId: string, userId: string) {
    return this.send(routes.addParticipant, { params: { threadId }, body: { userId } })
  }

  inviteToThread(threadId: string, body: RouteBody<typeof routes.inviteToThread>) {
    return this.send(routes.inviteToThread, { params: { threadId }, body })
  }

  removeParticipant(threadId: string, userId: string) {
    return this.send(routes.removeParticipant, { params: { threadId, userId } })
  }

  async people() {
    return (await this.send(routes.people, {})).people
  }

  // ---- replies by email held for review (staff) ----

  async heldReplies() {
    return (await this.send(routes.heldReplies, {})).held
  }

  postHeldReply(heldId: string) {
    return this.send(routes.postHeldReply, { params: { heldId } })
  }

  discardHeldReply(heldId: string) {
    return this.send(routes.discardHeldReply, { params: { heldId } })
  }

  // ---- admin (the server answers FORBIDDEN to anyone but an admin) ----

  companySettings() {
    return this.send(routes.companySettings, {})
  }

  updateCompanySettings(patch: RouteBody<typeof routes.updateCompanySettings>) {
    return this.send(routes.updateCompanySettings, { body: patch })
  }

  async createProject(body: RouteBody<typeof routes.createProject>) {
    return (await this.send(routes.createProject, { body })).project
  }

  async updateProject(projectId: string, patch: RouteBody<typeof routes.updateProject>) {
    return (await this.send(routes.updateProject, { params: { projectId }, body: patch })).project
  }

  async createPerson(body: RouteBody<typeof routes.createPerson>) {
    return (await this.send(routes.createPerson, { body })).person
  }

  async updatePerson(personId: string, patch: RouteBody<typeof routes.updatePerson>) {
    return (await this.send(routes.updatePerson, { params: { personId }, body: patch })).person
  }

  // issue 14: who is notified
  /** The desktop alert settings, kept on the server too so colleagues' "Who is notified" can tell. */
  saveDesktopAlerts(desktop: DesktopAlerts) {
    return this.send(routes.setPreferences, { body: { desktop } })
  }

  whoIsNotified(threadId: string) {
    return this.send(routes.whoIsNotified, { params: { threadId } })
  }

  // issue 14: people (Admin → People and the digest's schedule). These POSTs take no body; they
  // send an empty JSON object, as signOut does, so the request is one the server parses.
  signOutPerson(personId: string) {
    return this.send(routes.signOutPerson, { params: { personId } }, EMPTY_JSON)
  }

  async resendInvitation(personId: string) {
    return (await this.send(routes.resendInvitation, { params: { personId } }, EMPTY_JSON)).person
  }

  digestSchedule() {
    return this.send(routes.digestSchedule, {})
  }

  previewDigest() {
    return this.send(routes.previewDigest, {}, EMPTY_JSON)
  }

  // issue 14: settings (the person's own email alerts, test mail and delivery log)
  setEmailAlerts(patch: RouteBody<typeof routes.setPreferences>) {
    return this.send(routes.setPreferences, { body: patch })
  }

  async myMail() {
    return (await this.send(routes.myMail, {})).mail
  }

  async sendTestMail() {
    return (await this.send(routes.sendTestMail, {}, EMPTY_JSON)).mail
  }

  async personMail(personId: string) {
    return (await this.send(routes.companyMail, { query: { personId } })).mail
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
    return this.send(
      routes.upload,
      { params: { projectId }, query: { clientId } },
      {
        data: form,
        timeout: 0,
        onUploadProgress: (e: AxiosProgressEvent) => onProgress?.(e.loaded, e.total ?? file.size),
      },
    )
  }

  /** Streams an attachment; the caller writes it to disk. */
  async download(
    attachmentId: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<NodeJS.ReadableStream> {
    try {
      const res = await this.request(
        routes.download,
        { params: { attachmentId } },
        {
          responseType: 'stream',
          timeout: 0,
          onDownloadProgress: (e: AxiosProgressEvent) => onProgress?.(e.loaded, e.total ?? 0),
        },
      )
      return res.data as NodeJS.ReadableStream
    } catch (err) {
      throw toApiError(err)
    }
  }
}
