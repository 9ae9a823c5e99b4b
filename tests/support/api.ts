import { Session, ThreadWithMessage } from '../../src/shared/protocol'

export interface ApiResponse<T = any> {
  status: number
  body: T
  headers: Headers
}

/** A thin fetch client for tests: JSON in, parsed JSON (or text) out, never throws on 4xx/5xx. */
export class Api {
  constructor(
    readonly url: string,
    readonly token?: string,
  ) {}

  as(token: string): Api {
    return new Api(this.url, token)
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    init: { headers?: Record<string, string>; raw?: RequestInit['body'] } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {
      ...(this.token && { authorization: `Bearer ${this.token}` }),
      ...init.headers,
    }
    let payload: RequestInit['body'] | undefined = init.raw
    if (body !== undefined) {
      headers['content-type'] ??= 'application/json'
      payload = JSON.stringify(body)
    }
    const res = await fetch(`${this.url}/api/v1${path}`, { method, headers, body: payload })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers }
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path)
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {})
  }
  patch<T = any>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body)
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path)
  }

  /** Uploads one file as multipart/form-data. */
  upload<T = any>(projectId: string, name: string, bytes: Uint8Array | string, clientId?: string) {
    const form = new FormData()
    form.append(
      'file',
      new Blob([typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes]),
      name,
    )
    return this.request<T>(
      'POST',
      `/projects/${projectId}/attachments${clientId ? `?clientId=${clientId}` : ''}`,
      undefined,
      { raw: form },
    )
  }
}

export const DEMO_PASSWORD = 'portal-demo'

export async function signIn(url: string, email: string, password = DEMO_PASSWORD): Promise<Api> {
  const res = await new Api(url).post('/auth/sign-in', { email, password })
  if (res.status !== 200)
    throw new Error(`sign-in as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`)
  return new Api(url, Session.parse(res.body).token)
}

/** The demo company's people and projects by name, looked up as the admin. */
export async function demoDirectory(admin: Api) {
  const people = (await admin.get('/people')).body.people as {
    id: string
    email: string
    name: string
  }[]
  const projects = (await admin.get('/projects')).body.projects as { id: string; name: string }[]
  const person = (email: string) => {
    const p = people.find((x) => x.email === email)
    if (!p) throw new Error(`no demo person ${email}`)
    return p.id
  }
  const project = (prefix: string) => {
    const p = projects.find((x) => x.name.startsWith(prefix))
    if (!p) throw new Error(`no demo project ${prefix}`)
    return p.id
  }
  return { person, project, people, projects }
}

/** Starts a conversation as `who` and answers its id; a refusal fails with what the server said. */
export async function startThread(
  who: Api,
  projectId: string,
  subject: string,
  body: string,
  more: { urgent?: boolean; attachmentIds?: string[] } = {},
): Promise<string> {
  const res = await who.post('/threads', {
    clientId: crypto.randomUUID(),
    projectId,
    subject,
    body,
    ...more,
  })
  if (res.status !== 201)
    throw new Error(`starting "${subject}" failed: ${res.status} ${JSON.stringify(res.body)}`)
  return ThreadWithMessage.parse(res.body).thread.id
}
