import { Alert, Button, Radio, Stack, Text, TextInput, Title } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import type { InboxThread } from '../../../shared/ipc'
import type { InvitationResult, Project } from '../../../shared/protocol'
import { useSettings } from '../state/directory'
import { engine, errorMessage } from '../engine'
import { looksLikeEmail, roleIn } from '../format'

type Kind = 'guest' | 'trade'
type Field = 'name' | 'email' | 'kind'
type Problems = Partial<Record<Field | 'server', string>>

/**
 * Invite someone from outside by email into this one conversation: an architect or a designer
 * as a guest, a new trade as a subcontractor. The server creates their account, adds them and
 * mails them a link; an address already in the company adds that person. Online only (the
 * engine asks the server at once): each mistake is said at its field, the server's refusals in
 * its words, at the field they concern when there is one.
 */
export function InviteByEmail({
  thread,
  project,
}: {
  thread: InboxThread
  project: Project | undefined
}) {
  const settings = useSettings()
  const subcontractorsAllowed =
    settings && 'subcontractorsAllowed' in settings ? settings.subcontractorsAllowed : false
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [kind, setKind] = useState<Kind>('guest')
  const [problems, setProblems] = useState<Problems>({})
  const [done, setDone] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const fields = { name: useRef<HTMLInputElement>(null), email: useRef<HTMLInputElement>(null) }
  const fixed = (field: Field) => setProblems(({ [field]: _, server: __, ...rest }) => rest)
  // The answer sits below the form, under the fold of a laptop's screen: it comes into view.
  const answer = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (done || problems.server) answer.current?.scrollIntoView({ block: 'nearest' })
  }, [done, problems.server])

  const send = async () => {
    const found: Problems = {}
    if (!name.trim()) found.name = 'Write their name, e.g. “Anna Berg”.'
    if (!looksLikeEmail(email))
      found.email = 'Write their email address, e.g. anna@studio.com, to send the invitation to.'
    if (kind === 'trade' && !subcontractorsAllowed)
      found.kind =
        'Subcontractors cannot be added to conversations. An admin can allow it in Admin → Client Portal.'
    setProblems(found)
    setDone(null)
    const first = (['name', 'email'] as const).find((f) => found[f])
    if (first) return fields[first].current?.focus()
    if (found.kind) return
    const wasIn = new Set(thread.participantIds)
    setSending(true)
    try {
      const result = await engine.inviteToThread({
        threadId: thread.id,
        name: name.trim(),
        email: email.trim(),
        kind,
      })
      setDone(outcome(result, wasIn.has(result.person.id), project))
      setName('')
      setEmail('')
    } catch (err) {
      // The server's own sentence, at the field it is about.
      const code = err instanceof Error && 'code' in err ? err.code : null
      const text = errorMessage(err)
      if (code === 'EMAIL_TAKEN') {
        setProblems({ email: text })
        fields.email.current?.focus()
      } else if (code === 'SUBCONTRACTORS_NOT_ALLOWED') setProblems({ kind: text })
      else setProblems({ server: text })
    } finally {
      setSending(false)
    }
  }

  return (
    <Stack gap="xs" role="group" aria-labelledby="invite-by-email">
      <Title order={3} size="h5" id="invite-by-email">
        Invite by email
      </Title>
      <Text size="xs" c="dimmed">
        Someone outside the company, for this conversation only: they get an email with a link to
        set a password, and see no other conversation.
      </Text>
      <TextInput
        ref={fields.name}
        label="Name"
        value={name}
        onChange={(e) => {
          setName(e.currentTarget.value)
          fixed('name')
        }}
        error={problems.name}
        maxLength={120}
      />
      <TextInput
        ref={fields.email}
        label="Email"
        type="email"
        value={email}
        onChange={(e) => {
          setEmail(e.currentTarget.value)
          fixed('email')
        }}
        error={problems.email}
        maxLength={254}
      />
      <Radio.Group
        label="They are"
        value={kind}
        onChange={(value) => {
          setKind(value as Kind)
          fixed('kind')
        }}
        error={problems.kind}
      >
        <Stack gap={6} mt={4}>
          <Radio value="guest" label="Guest (architect, designer…)" />
          <Radio
            value="trade"
            label="Trade (subcontractor)"
            description={
              subcontractorsAllowed
                ? undefined
                : 'Not allowed now: an admin can allow subcontractors in Admin → Client Portal.'
            }
          />
        </Stack>
      </Radio.Group>
      <Button variant="default" loading={sending} onClick={() => void send()}>
        Send invitation
      </Button>
      <div ref={answer}>
        {problems.server && (
          <Alert color="red" title="Not invited" role="alert">
            {problems.server}
          </Alert>
        )}
        {done && (
          <Alert color="green" title="Invited" role="status">
            {done}
          </Alert>
        )}
      </div>
    </Stack>
  )
}

/** What happened, in a sentence: who is in the conversation now, and what went to their inbox. */
function outcome(result: InvitationResult, wasIn: boolean, project: Project | undefined): string {
  const { person, mailed } = result
  const who = `${person.name} (${roleIn(person, project)})`
  const where = wasIn ? 'was in the conversation already' : 'is in the conversation now'
  const to = person.email ?? 'their address'
  switch (mailed) {
    case 'set-password-link':
      return `${who} ${where}. An invitation to set a password went to ${to}; they can read and reply once it is set.`
    case 'thread-link':
      return `${who} ${where}. They sign in already, so a link to the conversation went to ${to}.`
    case 'nothing':
      return person.role === 'admin' || person.role === 'staff'
        ? `${who} ${where}; it is in their inbox, so no email went out.`
        : `${who} ${where}, but their portal access is off, so no email went out. An admin can turn it on.`
  }
}
