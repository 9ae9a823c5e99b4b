import { z } from 'zod'
import {
  AttachmentUpload,
  ChangePasswordBody,
  ChangesPage,
  ChangesQuery,
  ForgotPasswordBody,
  ForgotPasswordResult,
  HeldReplies,
  InboundMailResult,
  InvitationBody,
  InvitationResult,
  MailLog,
  MailLogQuery,
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
  TestMailResult,
  ThreadWithMessage,
} from './api'
// issue 14: portal links
import { SignInLinkBody, UseSignInLinkBody } from './api'
import { CompanySettings, Id, Preferences, Thread, ThreadSummary } from './domain'
// issue 14: who is notified
import { WhoIsNotified } from './api'
// issue 14: people
import { DigestPreviewResult, DigestSchedule } from './api'

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
  body?: z.ZodType | undefined
  query?: z.ZodType | undefined
  response: z.ZodType
}

// `const` keeps each path a literal type, so its `:name` parameters are checked at each call.
const get = <
  const P extends string,
  S extends z.ZodType,
  Q extends z.ZodType | undefined = undefined,
>(
  path: P,
  response: S,
  query?: Q,
) => ({ method: 'GET' as const, path, response, query: query as Q })
const send =
  <M extends 'POST' | 'PATCH' | 'DELETE'>(method: M) =>
  <const P extends string, S extends z.ZodType, B extends z.ZodType | undefined = undefined>(
    path: P,
    response: S,
    body?: B,
  ) => ({ method, path, response, body: body as B })
const post = send('POST')
const patch = send('PATCH')
const del = send('DELETE')

const Ok = z.object({ ok: z.literal(true) })
/** An upload is multipart/form-data (field "file"); the table says only its query. */
const UploadQuery = z.strictObject({ clientId: Id.optional() })

export const routes = {
  signIn: post('/auth/sign-in', Session, SignInBody),
  setPassword: post('/auth/set-password', Session, SetPasswordBody),
  forgotPassword: post('/auth/forgot-password', ForgotPasswordResult, ForgotPasswordBody),
  signOut: post('/auth/sign-out', Ok),
  me: get('/me', Me),
  changePassword: post('/me/password', SessionsEnded, ChangePasswordBody),
  setPreferences: patch('/me/preferences', Preferences, PreferencesPatch),
  myMail: get('/me/mail', MailLog, MailLogQuery.omit({ personId: true })),
  sendTestMail: post('/me/mail/test', TestMailResult),
  people: get('/people', PeopleList),
  projects: get('/projects', ProjectList),
  threads: get('/threads', ThreadList, ThreadListQuery),
  createThread: post('/threads', ThreadWithMessage, NewThreadBody),
  thread: get('/threads/:threadId', ThreadSummary),
  updateThread: patch('/threads/:threadId', Thread, ThreadPatch),
  messages: get('/threads/:threadId/messages', MessagePage, MessagePageQuery),
  reply: post('/threads/:threadId/messages', ThreadWithMessage, MessageDraft),
  addParticipant: post('/threads/:threadId/participants', Thread, ParticipantBody),
  removeParticipant: del('/threads/:threadId/participants/:userId', Thread),
  inviteToThread: post('/threads/:threadId/invitations', InvitationResult, InvitationBody),
  markThreadRead: post('/threads/:threadId/read', ReadResult),
  markRead: post('/reads', ReadResult, ReadBody),
  changes: get('/changes', ChangesPage, ChangesQuery),
  search: get('/search', SearchResult, SearchQuery),
  upload: { ...post('/projects/:projectId/attachments', AttachmentUpload), query: UploadQuery },
  /** The file's bytes, not JSON: the table names the path only. */
  download: get('/attachments/:attachmentId', z.unknown()),
  companySettings: get('/admin/settings', CompanySettings),
  updateCompanySettings: patch('/admin/settings', CompanySettings, SettingsPatch),
  companyMail: get('/admin/mail', MailLog, MailLogQuery),
  heldReplies: get('/inbound/held', HeldReplies),
  postHeldReply: post('/inbound/held/:heldId/post', InboundMailResult),
  discardHeldReply: post('/inbound/held/:heldId/discard', Ok),
  createProject: post('/admin/projects', ProjectResult, NewProjectBody),
  updateProject: patch('/admin/projects/:projectId', ProjectResult, ProjectPatch),
  createPerson: post('/admin/people', PersonResult, NewPersonBody),
  updatePerson: patch('/admin/people/:personId', PersonResult, PersonPatch),
  // issue 14: who is notified
  whoIsNotified: get('/threads/:threadId/notified', WhoIsNotified),
  // issue 14: people (Admin → People and the digest's schedule)
  signOutPerson: post('/admin/people/:personId/sign-out', SessionsEnded),
  resendInvitation: post('/admin/people/:personId/invitation', PersonResult),
  digestSchedule: get('/admin/digest', DigestSchedule),
  previewDigest: post('/admin/digest/preview', DigestPreviewResult),
  // issue 14: portal links
  signInLink: post('/auth/sign-in-link', ForgotPasswordResult, SignInLinkBody),
  signInWithLink: post('/auth/sign-in-link/use', Session, UseSignInLinkBody),
} as const satisfies Record<string, RouteSpec>

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
