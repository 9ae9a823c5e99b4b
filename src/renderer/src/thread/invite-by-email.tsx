import { Button, Radio, Stack, Text, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useEffect, useRef, useState } from 'react'
import type { InboxThread } from '../../../shared/ipc'
import { InvitationBody, type InvitationResult, type Project } from '../../../shared/protocol'
import { FormAnswer } from '../../../ui/form-answer'
import { blankOr, schemaWords } from '../../../ui/schema-words'
import { useSettings } from '../state/directory'
import { engine, errorMessage } from '../engine'
import { roleIn } from '../format'

type Fields = { name: string; email: string; kind: 'guest' | 'trade' }

// The server's rules for an invitation, said at the field in this form's words (a name on two
// lines keeps the server's own sentence).
const invitationProblems = schemaWords<Fields>(
  InvitationBody,
  {
    name: blankOr(
      'name',
      'Write their name, e.g. “Anna Berg”.',
      'Write the name on one line, without control characters.',
    ),
    email: 'Write their email address, e.g. anna@studio.com, to send the invitation to.',
  },
  ({ name, email, kind }) => ({ name, email: email.trim(), kind }),
)

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
  // The server's refusal that concerns no field; it goes with the next change.
  const [refused, setRefused] = useState<string | null>(null)
  const form = useForm<Fields>({
    initialValues: { name: '', email: '', kind: 'guest' },
    validate: (values) => {
      const found = invitationProblems(values)
      if (values.kind === 'trade' && !subcontractorsAllowed)
        found.kind =
          'Subcontractors cannot be added to conversations. An admin can allow it in Admin → Client Portal.'
      return found
    },
    onValuesChange: () => setRefused(null),
  })
  const [done, setDone] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const fields = { name: useRef<HTMLInputElement>(null), email: useRef<HTMLInputElement>(null) }
  // The answer sits below the form, under the fold of a laptop's screen: it comes into view.
  const answer = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (done || refused) answer.current?.scrollIntoView({ block: 'nearest' })
  }, [done, refused])

  const invite = async ({ name, email, kind }: Fields) => {
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
      form.setValues({ name: '', email: '' })
    } catch (err) {
      // The server's own sentence, at the field it is about.
      const code = err instanceof Error && 'code' in err ? err.code : null
      const text = errorMessage(err)
      if (code === 'EMAIL_TAKEN') {
        form.setFieldError('email', text)
        fields.email.current?.focus()
      } else if (code === 'SUBCONTRACTORS_NOT_ALLOWED') form.setFieldError('kind', text)
      else setRefused(text)
    } finally {
      setSending(false)
    }
  }
  const send = () => {
    setDone(null)
    setRefused(null)
    form.onSubmit(
      (values) => void invite(values),
      (found) => {
        const first = (['name', 'email'] as const).find((f) => found[f])
        if (first) fields[first].current?.focus()
      },
    )()
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
      <TextInput ref={fields.name} label="Name" {...form.getInputProps('name')} maxLength={120} />
      <TextInput
        ref={fields.email}
        label="Email"
        type="email"
        {...form.getInputProps('email')}
        maxLength={254}
      />
      <Radio.Group label="They are" {...form.getInputProps('kind')}>
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
      <Button variant="default" loading={sending} onClick={send}>
        Send invitation
      </Button>
      <div ref={answer}>
        <FormAnswer refused={refused} refusedTitle="Not invited" done={done} doneTitle="Invited" />
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
