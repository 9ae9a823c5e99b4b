import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Mark,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router'
import type { z } from 'zod'
import type {
  MessagePage as MessagePageSchema,
  Person,
  Project,
  SearchHit,
  ThreadSummary,
} from '../../../src/shared/protocol'

type MessagePage = z.output<typeof MessagePageSchema>
import { api, ApiError } from './api'
import { Composer } from './composer'
import { MessageText } from '../../../src/ui/message-text'
import { ChangePasswordForm } from '../../../src/ui/change-password'
import { callUs } from '../../../src/shared/contact'
import { Attachments, CannotSend, cannotSend, ResponseTime, shortWhen, when } from './parts'
import { usePortal } from './session'

const errorText = (err: unknown) =>
  err instanceof ApiError || err instanceof Error
    ? err.message
    : 'Something went wrong. Please try again.'

export function SignIn() {
  const portal = usePortal()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          setBusy(true)
          setError(null)
          // Signed in, the page shows what its address asked for: a link from an email opened
          // while signed out lands on that conversation, not the dashboard.
          api
            .signIn(email, password)
            .then(() => portal.signedIn())
            .catch((err: unknown) => setError(errorText(err)))
            .finally(() => setBusy(false))
        }}
      >
        <Stack>
          <Title order={1} size="h2">
            Sign in to your client portal
          </Title>
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
          <Anchor component={Link} to="/forgot-password" size="sm">
            Forgot password?
          </Anchor>
          <Text size="sm" c="dimmed">
            New here? Use the link in your invitation email to set your password.
          </Text>
        </Stack>
      </form>
    </Paper>
  )
}

/**
 * Asks for a reset link. The answer is the server's, the same whether or not the address has an
 * account; a refusal (asked too often) says when to try again.
 */
export function ForgotPassword() {
  const [email, setEmail] = useState('')
  const [sent, setSent] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          setBusy(true)
          setError(null)
          api
            .forgotPassword(email)
            .then((res) => setSent(res.message))
            .catch((err: unknown) => setError(errorText(err)))
            .finally(() => setBusy(false))
        }}
      >
        <Stack>
          <Title order={1} size="h2">
            Forgot your password?
          </Title>
          <Text size="sm">
            Enter the email you sign in with. We’ll send you a link to choose a new password; it
            also lifts a hold after too many failed sign-ins.
          </Text>
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          {sent && (
            <Alert color="green" role="status" title="Check your email">
              {sent}
            </Alert>
          )}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy}>
            Send me a link
          </Button>
          <Anchor component={Link} to="/" size="sm">
            Back to sign-in
          </Anchor>
        </Stack>
      </form>
    </Paper>
  )
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Where a staff member's email link lands: it asks the desktop app to open the thread (its
 * portal-inbox:// link; the browser may ask first, and nothing happens where the app is not
 * installed) and offers the same conversation in the browser, for a phone or another computer.
 */
export function OpenInApp() {
  const { id = '' } = useParams()
  const valid = UUID.test(id)
  const deepLink = `portal-inbox://thread/${id.toLowerCase()}`
  useEffect(() => {
    if (valid) window.location.href = deepLink
  }, [valid, deepLink])
  if (!valid)
    return (
      <Alert color="red" role="alert" maw={520} mx="auto" mt="xl">
        This link is not complete. Open the conversation from the email again, or find it in your
        inbox.
      </Alert>
    )
  return (
    <Paper maw={520} mx="auto" mt="xl" p="lg" withBorder>
      <Stack>
        <Title order={1} size="h2">
          Opening the conversation in Portal Inbox
        </Title>
        <Text>
          If the Portal Inbox app is installed on this computer, it opens the conversation now (your
          browser may ask first).
        </Text>
        <Group>
          <Button component="a" href={deepLink}>
            Open in Portal Inbox
          </Button>
          <Button component={Link} to={`/threads/${id}`} variant="default">
            Read it in the browser
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          On a phone or a computer without the app, read it in the browser: sign in with your work
          email.
        </Text>
      </Stack>
    </Paper>
  )
}

/** A thread id from a link, or null: the page only ever goes to a path of its own. */
const threadIdIn = (value: string | null) => (value && UUID.test(value) ? value : null)

/**
 * The invitation's link and the reset link both lead here; a reset link says so (`reset=1`), and
 * an invitation into a conversation opens it once the password is set (`thread=<id>`).
 */
export function SetPassword() {
  const portal = usePortal()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const reset = params.get('reset') === '1'
  const threadId = threadIdIn(params.get('thread'))
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          api
            .setPassword(params.get('token') ?? '', password)
            .then(() => portal.signedIn())
            .then(() => navigate(threadId ? `/threads/${threadId}` : '/'))
            .catch((err: unknown) => setError(errorText(err)))
        }}
      >
        <Stack>
          <Title order={1} size="h2">
            {reset ? 'Choose a new password' : 'Set your password'}
          </Title>
          {reset && (
            <Text size="sm">
              Your old password stops working once you save the new one. This link works once.
            </Text>
          )}
          {!reset && threadId && (
            <Text size="sm">
              Choose a password for your client portal. The conversation you were invited to opens
              as soon as it is saved.
            </Text>
          )}
          <PasswordInput
            label="New password"
            description="At least 10 characters"
            autoComplete="new-password"
            required
            minLength={10}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
              {reset && (
                <>
                  {' '}
                  <Anchor component={Link} to="/forgot-password">
                    Ask for a new link
                  </Anchor>
                </>
              )}
            </Alert>
          )}
          <Button type="submit">
            {reset ? 'Save new password and sign in' : 'Save password and sign in'}
          </Button>
        </Stack>
      </form>
    </Paper>
  )
}

function ThreadRow({ thread }: { thread: ThreadSummary }) {
  const portal = usePortal()
  const project = portal.projects.find((p) => p.id === thread.projectId)
  const sender = portal.people.get(thread.lastMessageSenderId)
  const unread = thread.unreadCount > 0
  return (
    <Card
      component={Link}
      to={`/threads/${thread.id}`}
      withBorder
      padding="sm"
      aria-label={`${thread.subject}${unread ? `, ${thread.unreadCount} unread` : ''}`}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap">
            {unread && (
              <Badge size="sm" circle aria-hidden>
                {thread.unreadCount}
              </Badge>
            )}
            <Text fw={unread ? 700 : 500} truncate>
              {thread.subject}
            </Text>
          </Group>
          <Text size="sm" c="dimmed" truncate>
            {sender ? `${sender.name}: ` : ''}
            {thread.lastMessagePreview}
          </Text>
          {project && (
            <Text size="xs" c="dimmed">
              {project.name}
            </Text>
          )}
        </Stack>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          <time dateTime={thread.lastMessageAt} title={when(thread.lastMessageAt)}>
            {shortWhen(thread.lastMessageAt)}
          </time>
        </Text>
      </Group>
    </Card>
  )
}

export function Dashboard() {
  const portal = usePortal()
  const newCount = portal.unread
  return (
    <Stack>
      <Title order={1} size="h2">
        Welcome, {portal.me?.user.name}
      </Title>
      <Card withBorder data-testid="messages-widget">
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={2} size="h4">
              Messages
            </Title>
            <Badge color={newCount ? 'blue' : 'gray'}>
              {newCount === 1 ? '1 new message' : `${newCount} new messages`}
            </Badge>
          </Group>
          {portal.threads.slice(0, 5).map((t) => (
            <ThreadRow key={t.id} thread={t} />
          ))}
          {!portal.threads.length && <Text c="dimmed">No conversations yet.</Text>}
          <Group>
            <Anchor component={Link} to="/threads">
              All conversations
            </Anchor>
            <Anchor component={Link} to="/new">
              New message
            </Anchor>
          </Group>
        </Stack>
      </Card>
    </Stack>
  )
}

export function Threads() {
  const portal = usePortal()
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Messages
        </Title>
        <Button component={Link} to="/new">
          New message
        </Button>
      </Group>
      {portal.threads.map((t) => (
        <ThreadRow key={t.id} thread={t} />
      ))}
      {!portal.threads.length && (
        <Text c="dimmed">No conversations yet. Start one with New message.</Text>
      )}
    </Stack>
  )
}

/**
 * Beside a sender's name: the team, a subcontractor, or a guest (someone invited into the
 * conversation who is not one of the project's homeowners, such as the architect); nothing for
 * the project's own customer contacts.
 */
function whoIs(author: Person, project: Project | undefined): string | null {
  if (author.role === 'subcontractor') return 'subcontractor'
  if (author.role !== 'customer') return 'team'
  return project && !project.customerIds.includes(author.id) ? 'guest' : null
}

/** What the thread page says right after the customer sent something there. */
interface SentNote {
  urgent: boolean
  autoReply: string | null
  isNew: boolean
}

export function ThreadView() {
  const { id = '' } = useParams()
  const portal = usePortal()
  const location = useLocation()
  const [thread, setThread] = useState<ThreadSummary | null>(null)
  const [page, setPage] = useState<MessagePage | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [sent, setSent] = useState<SentNote | null>(
    (location.state as { sent?: SentNote } | null)?.sent ?? null,
  )
  const seen = useRef(new Set<string>())
  const scrolledFor = useRef<string | null>(null)

  useEffect(() => {
    let live = true
    Promise.all([api.thread(id), api.messages(id)])
      .then(([t, p]) => {
        if (!live) return
        setThread(t)
        setPage(p)
      })
      .catch((err: unknown) => live && setError(errorText(err)))
    return () => {
      live = false
    }
  }, [id, portal.version])

  // Messages are marked read as they scroll into view (the help page's rule), in small batches.
  useEffect(() => {
    if (!page || !portal.me) return
    const me = portal.me.user.id
    const unread = new Set(
      page.messages
        .filter(
          (m) =>
            m.authorId !== me && !page.reads.some((r) => r.messageId === m.id && r.userId === me),
        )
        .map((m) => m.id),
    )
    if (!unread.size) return
    let batch: string[] = []
    let timer: number | undefined
    const flush = () => {
      const ids = batch
      batch = []
      if (ids.length) void api.markRead(ids).then(() => portal.refresh())
    }
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const messageId = (entry.target as HTMLElement).dataset.messageId ?? ''
        if (entry.isIntersecting && unread.has(messageId) && !seen.current.has(messageId)) {
          seen.current.add(messageId)
          batch.push(messageId)
        }
      }
      window.clearTimeout(timer)
      timer = window.setTimeout(flush, 300)
    })
    document
      .querySelectorAll<HTMLElement>('[data-message-id]')
      .forEach((el) => observer.observe(el))
    return () => {
      observer.disconnect()
      window.clearTimeout(timer)
      flush()
    }
  }, [page, portal.me])

  // A thread opens at the first message this person has not read, else at the newest; once per
  // thread, so a live update does not pull the page away from where they are reading.
  useEffect(() => {
    if (!page || !portal.me || scrolledFor.current === id) return
    scrolledFor.current = id
    const me = portal.me.user.id
    const firstUnread = page.messages.find(
      (m) => m.authorId !== me && !page.reads.some((r) => r.messageId === m.id && r.userId === me),
    )
    const target = sent ? null : (firstUnread ?? page.messages[page.messages.length - 1])
    const el = target
      ? document.querySelector<HTMLElement>(`[data-message-id="${target.id}"]`)
      : document.querySelector<HTMLElement>('[data-sent-note]')
    el?.scrollIntoView({ block: firstUnread && !sent ? 'start' : 'end' })
  }, [page, portal.me, id, sent])

  if (error)
    return (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    )
  if (!thread || !page || !portal.me) return <Loader aria-label="Loading the conversation" />
  const project = portal.projects.find((p) => p.id === thread.projectId)
  const blocked = cannotSend(portal.me.settings, project)
  return (
    <Stack>
      <Stack gap={0}>
        <Title order={1} size="h2">
          {thread.subject}
        </Title>
        {project && <Text c="dimmed">{project.name}</Text>}
      </Stack>
      {page.messages.map((m) => {
        const author = portal.people.get(m.authorId)
        return (
          <Card
            key={m.id}
            withBorder
            data-message-id={m.id}
            component="article"
            aria-label={`Message from ${author?.name ?? 'someone'}`}
          >
            <Group justify="space-between" mb={4} wrap="wrap" gap="xs">
              <Text fw={600}>
                {author?.name ?? 'Someone'}
                {author && whoIs(author, project) && (
                  <Text span c="dimmed" fw={400} size="sm">
                    {' '}
                    ({whoIs(author, project)})
                  </Text>
                )}
              </Text>
              <Group gap="xs">
                {m.internal && (
                  // Only staff ever receive internal notes; one read in the browser says so.
                  <Badge color="yellow" variant="light">
                    Internal note (staff only)
                  </Badge>
                )}
                {m.urgent && (
                  <Badge color="red" variant="light">
                    Urgent
                  </Badge>
                )}
                <Text size="sm" c="dimmed">
                  <time dateTime={m.createdAt}>{when(m.createdAt)}</time>
                </Text>
              </Group>
            </Group>
            <MessageText body={m.body} />
            <Attachments items={m.attachments} />
          </Card>
        )
      })}
      {sent && <SentConfirmation note={sent} settings={portal.me.settings} />}
      {blocked ? (
        <CannotSend reason={blocked} />
      ) : (
        <Paper withBorder p="md">
          <Composer
            settings={portal.me.settings}
            projectId={thread.projectId}
            label="Your reply"
            submitLabel="Send reply"
            showUrgent
            onSubmit={async ({ body, urgent, attachmentIds }) => {
              const result = await api.reply(thread.id, {
                clientId: crypto.randomUUID(),
                body,
                urgent,
                attachmentIds,
              })
              setSent({
                urgent: result.message.urgent,
                autoReply: result.autoReply ?? null,
                isNew: false,
              })
              await portal.refresh()
            }}
          />
          <ResponseTime settings={portal.me.settings} />
        </Paper>
      )}
    </Stack>
  )
}

/** After sending: it arrived, it is marked urgent (with the call-us advice), when to expect an answer, and the auto-reply. */
function SentConfirmation({
  note,
  settings,
}: {
  note: SentNote
  settings: NonNullable<ReturnType<typeof usePortal>['me']>['settings']
}) {
  return (
    <Alert
      color="green"
      role="status"
      title={note.isNew ? 'Message sent' : 'Reply sent'}
      data-sent-note
    >
      <Stack gap={4}>
        <Text size="sm">
          {note.urgent
            ? `It is marked urgent, so the team is alerted. For an emergency, please ${callUs(settings)} as well.`
            : 'The team has it.'}{' '}
          {settings.expectedResponseTime}
        </Text>
        {note.autoReply && (
          <Text size="sm">
            <Text span fw={600}>
              Automatic reply:
            </Text>{' '}
            {note.autoReply}
          </Text>
        )}
      </Stack>
    </Alert>
  )
}

export function NewMessage() {
  const portal = usePortal()
  const navigate = useNavigate()
  const [projectId, setProjectId] = useState<string | null>(null)
  const [subject, setSubject] = useState('')
  const mine = portal.projects.filter((p) => p.customerIds.includes(portal.me?.user.id ?? ''))
  const chosen = projectId ?? (mine.length === 1 ? (mine[0]?.id ?? null) : null)
  const project = mine.find((p) => p.id === chosen)
  const settings = portal.me?.settings
  if (!settings) return null
  const blocked = cannotSend(settings, project)
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">
        New message
      </Title>
      {mine.length > 1 && (
        <Select
          label="Project"
          placeholder="Choose the project"
          data={mine.map((p) => ({ value: p.id, label: p.name }))}
          value={chosen}
          onChange={setProjectId}
          required
        />
      )}
      {!mine.length && <NotAContact />}
      {blocked ? (
        <CannotSend reason={blocked} />
      ) : (
        chosen && (
          <>
            <TextInput
              label="Subject"
              required
              maxLength={200}
              value={subject}
              onChange={(e) => setSubject(e.currentTarget.value)}
              placeholder="What is this about?"
            />
            <Composer
              settings={settings}
              projectId={chosen}
              label="Message"
              submitLabel="Send"
              showUrgent
              onSubmit={async ({ body, urgent, attachmentIds }) => {
                if (!subject.trim()) throw new Error('Enter a subject line.')
                const created = await api.createThread({
                  clientId: crypto.randomUUID(),
                  projectId: chosen,
                  subject,
                  body,
                  urgent,
                  attachmentIds,
                })
                await portal.refresh()
                const sent: SentNote = {
                  urgent: created.message.urgent,
                  autoReply: created.autoReply ?? null,
                  isNew: true,
                }
                navigate(`/threads/${created.thread.id}`, { state: { sent } })
              }}
            />
            <ResponseTime settings={settings} />
          </>
        )
      )}
    </Stack>
  )
}

/**
 * Why someone who is no contact on any project cannot start a conversation. A guest (an
 * architect, a designer) or a trade invited into conversations hears where they can write.
 */
function NotAContact() {
  const portal = usePortal()
  const company = portal.me?.company.name ?? 'your builder'
  const [only] = portal.threads
  if (!only)
    return (
      <CannotSend reason="You are not a contact on any project yet, so you cannot start a conversation. Please ask your builder to add you to your project." />
    )
  return (
    <Alert
      color="yellow"
      title="New conversations are started by the project’s homeowners and team"
      role="status"
    >
      <Stack gap="xs">
        <Text size="sm">
          {company} invited you to{' '}
          {portal.threads.length === 1
            ? `the conversation “${only.subject}”`
            : `${portal.threads.length} conversations`}
          , so you can read and reply there. New conversations about a project are started by its
          homeowners and the {company} team.
        </Text>
        <Text size="sm">
          To bring up something new, write in your conversation, or please{' '}
          {callUs(portal.me?.settings)}.
        </Text>
        <Group>
          <Button
            component={Link}
            to={portal.threads.length === 1 ? `/threads/${only.id}` : '/threads'}
            variant="default"
            size="xs"
          >
            {portal.threads.length === 1 ? 'Open your conversation' : 'Your conversations'}
          </Button>
        </Group>
      </Stack>
    </Alert>
  )
}

export function Settings() {
  const portal = usePortal()
  const [on, setOn] = useState<boolean | null>(portal.me?.preferences.emailOnNewMessage ?? null)
  const [error, setError] = useState<string | null>(null)
  return (
    <Stack maw={560}>
      <Title order={1} size="h2">
        Settings
      </Title>
      <Switch
        label="Email me when a new message arrives"
        description={`Sent to ${portal.me?.user.email ?? 'your email address'}, with a link to the conversation.`}
        checked={on ?? false}
        onChange={(e) => {
          const next = e.currentTarget.checked
          setOn(next)
          api
            .setPreferences({ emailOnNewMessage: next })
            .then(() => portal.refresh())
            .catch((err: unknown) => {
              setOn(!next)
              setError(errorText(err))
            })
        }}
      />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Title order={2} size="h4" mt="md">
        Password
      </Title>
      <ChangePasswordForm change={api.changePassword} errorText={errorText} />
    </Stack>
  )
}

export function Search() {
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const [input, setInput] = useState(q)
  const [hits, setHits] = useState<SearchHit[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!q.trim()) {
      setHits(null)
      return
    }
    api
      .search(q)
      .then((r) => setHits(r.hits))
      .catch((err: unknown) => setError(errorText(err)))
  }, [q])
  return (
    <Stack>
      <Title order={1} size="h2">
        Search messages
      </Title>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          setParams({ q: input })
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Search"
            description='Words, "exact phrases", from:name, before:2026-01-31, after:…, has:attachment'
            style={{ flex: 1 }}
            value={input}
            onChange={(e) => setInput(e.currentTarget.value)}
          />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {hits && !hits.length && <Text c="dimmed">Nothing found for “{q}”.</Text>}
      {hits?.map((h) => (
        <Card
          key={h.messageId}
          component={Link}
          to={`/threads/${h.threadId}`}
          withBorder
          padding="sm"
        >
          <Group justify="space-between">
            <Text fw={600}>{h.subject}</Text>
            <Text size="xs" c="dimmed">
              {h.authorName}, {when(h.createdAt)}
            </Text>
          </Group>
          <Text size="sm">
            {h.snippet.map((part, i) =>
              part.hit ? <Mark key={i}>{part.text}</Mark> : <span key={i}>{part.text}</span>,
            )}
          </Text>
        </Card>
      ))}
    </Stack>
  )
}
