import { z } from 'zod'
import {
  AttachmentUpload,
  ChangePasswordBody,
  ChangesPage,
  ChangesQuery,
  ForgotPasswordBody,
  ForgotPasswordResult,
  InvitationBody,
  InvitationResult,
  Me,
  MessageDraft,
  MessagePage,
  MessagePageQuery,
  NewPersonBody,
  NewProjectBody,
  NewThreadBody,
  ParticipantBody,
  PeopleList,
  PersonPatch,
  PersonResult,
  PreferencesPatch,
  ProjectList,
  ProjectPatch,
  ProjectResult,
  ReadBody,
  ReadResult,
  SearchQuery,
  SearchResult,
  Session,
  SessionsEnded,
  SetPasswordBody,
  SettingsPatch,
  SignInBody,
  ThreadList,
  ThreadListQuery,
  ThreadPatch,
  ThreadWithMessage,
} from './api'
import { CompanySettings, Id, Preferences, Thread, ThreadSummary } from './domain'

/**
 * Every REST call a client of the portal server makes, written once: the desktop engine and the
 * customer portal build their requests from this table, so a path or a schema cannot drift
 * between them. Paths are relative to /api/v1 and name their parameters as the server's route
 * registrations do (`:threadId`). Request schemas type what a client sends; the server is the one
 * that validates it (a client that checked first would answer in its own words, not the server's).
 */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  body?: z.ZodType
  query?: z.ZodType
  response: z.ZodType
}

/** `const` keeps each path a literal type, so its `:name` parameters are checked at each call. */
const route = <const R extends RouteSpec>(spec: R): R => spec

const Ok = z.object({ ok: z.literal(true) })
/** An upload is multipart/form-data (field "file"); the table says only its query. */
const UploadQuery = z.strictObject({ clientId: Id.optional() })

export const routes = {
  signIn: route({ method: 'POST', path: '/auth/sign-in', body: SignInBody, response: Session }),
  setPassword: route({
    method: 'POST',
    path: '/auth/set-password',
    body: SetPasswordBody,
    response: Session,
  }),
  forgotPassword: route({
    method: 'POST',
    path: '/auth/forgot-password',
    body: ForgotPasswordBody,
    response: ForgotPasswordResult,
  }),
  signOut: route({ method: 'POST', path: '/auth/sign-out', response: Ok }),
  me: route({ method: 'GET', path: '/me', response: Me }),
  changePassword: route({
    method: 'POST',
    path: '/me/password',
    body: ChangePasswordBody,
    response: SessionsEnded,
  }),
  setPreferences: route({
    method: 'PATCH',
    path: '/me/preferences',
    body: PreferencesPatch,
    response: Preferences,
  }),
  people: route({ method: 'GET', path: '/people', response: PeopleList }),
  projects: route({ method: 'GET', path: '/projects', response: ProjectList }),
  threads: route({ method: 'GET', path: '/threads', query: ThreadListQuery, response: ThreadList }),
  createThread: route({
    method: 'POST',
    path: '/threads',
    body: NewThreadBody,
    response: ThreadWithMessage,
  }),
  thread: route({ method: 'GET', path: '/threads/:threadId', response: ThreadSummary }),
  updateThread: route({
    method: 'PATCH',
    path: '/threads/:threadId',
    body: ThreadPatch,
    response: Thread,
  }),
  messages: route({
    method: 'GET',
    path: '/threads/:threadId/messages',
    query: MessagePageQuery,
    response: MessagePage,
  }),
  reply: route({
    method: 'POST',
    path: '/threads/:threadId/messages',
    body: MessageDraft,
    response: ThreadWithMessage,
  }),
  addParticipant: route({
    method: 'POST',
    path: '/threads/:threadId/participants',
    body: ParticipantBody,
    response: Thread,
  }),
  removeParticipant: route({
    method: 'DELETE',
    path: '/threads/:threadId/participants/:userId',
    response: Thread,
  }),
  inviteToThread: route({
    method: 'POST',
    path: '/threads/:threadId/invitations',
    body: InvitationBody,
    response: InvitationResult,
  }),
  markThreadRead: route({ method: 'POST', path: '/threads/:threadId/read', response: ReadResult }),
  markRead: route({ method: 'POST', path: '/reads', body: ReadBody, response: ReadResult }),
  changes: route({ method: 'GET', path: '/changes', query: ChangesQuery, response: ChangesPage }),
  search: route({ method: 'GET', path: '/search', query: SearchQuery, response: SearchResult }),
  upload: route({
    method: 'POST',
    path: '/projects/:projectId/attachments',
    query: UploadQuery,
    response: AttachmentUpload,
  }),
  /** The file's bytes, not JSON: the table names the path only. */
  download: route({ method: 'GET', path: '/attachments/:attachmentId', response: z.unknown() }),
  companySettings: route({ method: 'GET', path: '/admin/settings', response: CompanySettings }),
  updateCompanySettings: route({
    method: 'PATCH',
    path: '/admin/settings',
    body: SettingsPatch,
    response: CompanySettings,
  }),
  createProject: route({
    method: 'POST',
    path: '/admin/projects',
    body: NewProjectBody,
    response: ProjectResult,
  }),
  updateProject: route({
    method: 'PATCH',
    path: '/admin/projects/:projectId',
    body: ProjectPatch,
    response: ProjectResult,
  }),
  createPerson: route({
    method: 'POST',
    path: '/admin/people',
    body: NewPersonBody,
    response: PersonResult,
  }),
  updatePerson: route({
    method: 'PATCH',
    path: '/admin/people/:personId',
    body: PersonPatch,
    response: PersonResult,
  }),
} as const

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never

/** The `:name` parts of a route's path, each a string. */
export type RouteParams<R extends RouteSpec> = Record<ParamNames<R['path']>, string>
export type RouteBody<R extends RouteSpec> = R['body'] extends z.ZodType
  ? z.input<R['body']>
  : never
export type RouteQuery<R extends RouteSpec> = R['query'] extends z.ZodType
  ? z.input<R['query']>
  : never
export type RouteResponse<R extends RouteSpec> = z.output<R['response']>

/** What one call sends, typed by its route: the path's parameters, its body and its query. */
export type RouteInput<R extends RouteSpec> = (ParamNames<R['path']> extends never
  ? { params?: undefined }
  : { params: RouteParams<R> }) &
  (R['body'] extends z.ZodType ? { body: RouteBody<R> } : { body?: undefined }) &
  (R['query'] extends z.ZodType ? { query?: RouteQuery<R> } : { query?: undefined })

/** The route's path with its parameters filled in (each one URL-encoded). */
export function pathOf<R extends RouteSpec>(spec: R, params?: RouteParams<R>): string {
  const values: Record<string, string> = params ?? {}
  return spec.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`${spec.path} needs ${name}`)
    return encodeURIComponent(value)
  })
}

/** `?a=1&b=2` from a query's defined fields, in their order; '' when there are none. */
export function queryString(query: unknown): string {
  const fields = typeof query === 'object' && query !== null ? Object.entries(query) : []
  const parts = fields
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
  return parts.length ? `?${parts.join('&')}` : ''
}
