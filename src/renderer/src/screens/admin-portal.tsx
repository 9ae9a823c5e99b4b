// Admin → Company Settings → Client Portal, as the help page names it: whether customers can use
// Messages, in which project stages, with which files, and how the company answers.
import {
  Alert,
  Button,
  Checkbox,
  Chip,
  Group,
  Input,
  Loader,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core'
import { TimeInput } from '@mantine/dates'
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react'
import { formatBytes, knownFileTypeKeys, knownFileTypes } from '../../../shared/files'
import type { CompanySettings } from '../../../shared/protocol'
import { useConnection } from '../state/connection'
import { engine, errorMessage, useEngineEvent } from '../engine'
import { GB, MB, stageLabel, stages } from './admin-parts'
import { failed, saved, Section } from './settings-parts'

type Patch = Partial<CompanySettings>
type Errors = Partial<Record<string, string>>

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/

/** Only the fields that differ from what the server has: the save sends nothing else. */
export function changedFields(saved: CompanySettings, draft: CompanySettings): Patch {
  const patch: Record<string, unknown> = {}
  for (const key of Object.keys(draft) as (keyof CompanySettings)[])
    if (JSON.stringify(draft[key]) !== JSON.stringify(saved[key])) patch[key] = draft[key]
  return patch as Patch
}

/** The server's new settings with this form's own edits (fields that differed from `before`) on top. */
function rebase(
  before: CompanySettings,
  edited: CompanySettings,
  next: CompanySettings,
): CompanySettings {
  return { ...next, ...changedFields(before, edited) }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** What to fix before saving, by field; the server checks again and its word is final. */
function validate(s: CompanySettings, blank: Set<string>): Errors {
  const errors: Errors = {}
  const need = (field: string, what: string) => {
    if (blank.has(field)) errors[field] = `Enter ${what}.`
  }
  if (s.maxFileBytes < 1024 || s.maxFileBytes > GB)
    errors.maxFileBytes = 'Choose a file size limit between 0.1 and 1024 MB.'
  need('maxFileBytes', 'the largest file size in MB')
  if (s.maxMessageBytes < 1024 || s.maxMessageBytes > 4 * GB)
    errors.maxMessageBytes = 'Choose a message size limit between 0.1 MB and 4096 MB.'
  else if (s.maxMessageBytes < s.maxFileBytes)
    errors.maxMessageBytes = `A message must be able to carry one file: make this at least the file limit (${formatBytes(s.maxFileBytes)}).`
  need('maxMessageBytes', 'the largest message size in MB')
  if (s.maxFilesPerMessage < 1 || s.maxFilesPerMessage > 50)
    errors.maxFilesPerMessage = 'Allow between 1 and 50 files per message.'
  need('maxFilesPerMessage', 'how many files a message may carry')
  if (s.projectQuotaBytes < 1024 || s.projectQuotaBytes > 1024 * GB)
    errors.projectQuotaBytes = 'Choose a storage limit between 0.1 and 1024 GB per project.'
  need('projectQuotaBytes', 'the storage per project in GB')
  if (s.maxBodyChars < 100 || s.maxBodyChars > 100_000)
    errors.maxBodyChars = 'Allow between 100 and 100,000 characters.'
  need('maxBodyChars', 'the longest message in characters')
  if (s.allowedFileTypes.length === 0)
    errors.allowedFileTypes = 'Allow at least one file type, or customers cannot attach files.'
  const badKeyword = s.urgentKeywords.find((k) => k.trim().length < 2 || k.trim().length > 60)
  if (badKeyword !== undefined)
    errors.urgentKeywords = `“${badKeyword}”: a keyword needs 2 to 60 characters.`
  else if (s.urgentKeywords.length > 100) errors.urgentKeywords = 'Use at most 100 keywords.'
  if (s.autoReply.enabled && !s.autoReply.text.trim())
    errors.autoReplyText = 'Write the auto-reply, or turn auto-reply off.'
  if (s.autoReply.text.length > 2000)
    errors.autoReplyText = `Shorten the auto-reply to 2,000 characters (it has ${s.autoReply.text.length.toLocaleString()}).`
  if (s.expectedResponseTime.length > 200)
    errors.expectedResponseTime = 'Shorten this to 200 characters.'
  if (!isTimeZone(s.businessHours.timezone))
    errors.timezone = 'Choose a time zone such as America/Denver or Europe/Berlin.'
  if (!HHMM.test(s.businessHours.start)) errors.hoursStart = 'Enter a time as HH:MM, e.g. 08:00.'
  if (!HHMM.test(s.businessHours.end)) errors.hoursEnd = 'Enter a time as HH:MM, e.g. 17:00.'
  else if (HHMM.test(s.businessHours.start) && s.businessHours.end <= s.businessHours.start)
    errors.hoursEnd = 'Business hours must end after they start.'
  if (
    s.autoReply.enabled &&
    s.autoReply.when === 'outside-business-hours' &&
    !s.businessHours.days.length
  )
    errors.days = 'Pick the business days, or every hour counts as outside business hours.'
  return errors
}

export function ClientPortalSettings() {
  const connection = useConnection()
  const [server, setServer] = useState<CompanySettings | null>(null)
  const [draft, setDraft] = useState<CompanySettings | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [saveError, setSaveError] = useState<string | null>(null)
  const [showErrors, setShowErrors] = useState(false)
  const [blank, setBlank] = useState<Set<string>>(new Set())
  const [busy, setBusy] = useState(false)
  const [loading, setLoading] = useState(false)

  const load = useCallback(async () => {
    setLoading(true)
    try {
      const settings = await engine.getCompanySettings({})
      setServer(settings)
      setDraft((current) => current ?? settings)
      setLoadError(null)
    } catch (err) {
      setLoadError(errorMessage(err))
    } finally {
      setLoading(false)
    }
  }, [])
  useEffect(() => void load(), [load])

  const patch = useMemo(
    () => (server && draft ? changedFields(server, draft) : {}),
    [server, draft],
  )
  const dirty = Object.keys(patch).length > 0 || blank.size > 0
  const latest = useRef({ server, draft })
  latest.current = { server, draft }

  // Another admin saved: take their values for every field not edited here, so the save (which
  // sends only what differs from the server) never undoes their change.
  useEngineEvent('changed', (change) => {
    if (!change.settings) return
    void engine
      .getCompanySettings({})
      .then((next) => {
        const { server: before, draft: edited } = latest.current
        setServer(next)
        setDraft(before && edited ? rebase(before, edited, next) : next)
      })
      .catch(() => undefined)
  })
  // Refused while offline: try again once the connection is back.
  useEffect(() => {
    if (connection.state === 'online' && loadError) void load()
  }, [connection.state, loadError, load])

  if (!draft || !server) {
    if (loadError)
      return (
        <Alert color="red" title="Could not load the Client Portal settings" role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{loadError}</Text>
            <Button size="compact-sm" variant="light" loading={loading} onClick={() => void load()}>
              Try again
            </Button>
          </Stack>
        </Alert>
      )
    return <Loader size="sm" aria-label="Loading the Client Portal settings" />
  }

  const errors = validate(draft, blank)
  const shown = showErrors ? errors : {}
  const errorCount = Object.keys(errors).length
  const update = (next: Patch) => setDraft({ ...draft, ...next })
  const setNumber = (field: string, value: number | string, apply: (n: number) => Patch) => {
    const nextBlank = new Set(blank)
    if (typeof value === 'number' && Number.isFinite(value)) {
      nextBlank.delete(field)
      update(apply(value))
    } else nextBlank.add(field)
    setBlank(nextBlank)
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setShowErrors(true)
    setSaveError(null)
    if (errorCount > 0) return
    if (Object.keys(patch).length === 0) return
    setBusy(true)
    try {
      const next = await engine.updateCompanySettings(patch)
      setServer(next)
      setDraft(next)
      setShowErrors(false)
      const n = Object.keys(patch).length
      saved(
        `${n} ${n === 1 ? 'setting' : 'settings'} changed. Customers see the change right away.`,
        'Client Portal settings saved',
      )
    } catch (err) {
      setSaveError(errorMessage(err))
      failed('Client Portal settings not saved', err)
    } finally {
      setBusy(false)
    }
  }

  const discard = () => {
    setDraft(server)
    setBlank(new Set())
    setShowErrors(false)
    setSaveError(null)
  }

  const fileTypeOptions = knownFileTypeKeys.map((key) => ({
    value: key,
    label: `${key.toUpperCase()} (${knownFileTypes[key].label})`,
  }))
  const timeZones = timeZoneOptions(draft.businessHours.timezone)

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Client Portal settings">
      <Stack gap="lg">
        {connection.state !== 'online' && (
          <Alert color="yellow" title="Not connected">
            Company settings are saved on the portal server. You can edit here, but saving waits
            until Portal Inbox is online again.
          </Alert>
        )}

        <Section
          title="Messages"
          description="Two-way messages between customers and your team in the client portal."
        >
          <Switch
            label="Enable Messages in the client portal"
            aria-label="Enable Messages in the client portal"
            description="When off, customers can still read their conversations in the portal but cannot send new messages; staff still see and write everything."
            checked={draft.messagesEnabled}
            onChange={(e) => update({ messagesEnabled: e.currentTarget.checked })}
          />
          <Checkbox.Group
            label="Portal open in these project stages"
            description="Customers of a project can use Messages only while it is in one of these stages."
            value={draft.portalOpenStages}
            onChange={(value) =>
              update({
                portalOpenStages: stages.filter((s) => value.includes(s)),
              })
            }
          >
            <Group gap="lg" mt={6}>
              {stages.map((stage) => (
                <Checkbox key={stage} value={stage} label={stageLabel[stage]} />
              ))}
            </Group>
          </Checkbox.Group>
          <Switch
            label="Staff can add subcontractors to conversations"
            checked={draft.subcontractorsAllowed}
            onChange={(e) => update({ subcontractorsAllowed: e.currentTarget.checked })}
          />
        </Section>

        <Section
          title="Files"
          description="Limits apply to customers and staff alike; the portal checks a file before it is uploaded."
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label="Largest file (MB)"
              description={`Now ${formatBytes(server.maxFileBytes)}`}
              value={round(draft.maxFileBytes / MB)}
              onChange={(v) =>
                setNumber('maxFileBytes', v, (n) => ({ maxFileBytes: Math.round(n * MB) }))
              }
              min={0.1}
              max={1024}
              decimalScale={1}
              error={shown.maxFileBytes}
            />
            <NumberInput
              label="Files per message"
              value={draft.maxFilesPerMessage}
              onChange={(v) =>
                setNumber('maxFilesPerMessage', v, (n) => ({ maxFilesPerMessage: n }))
              }
              min={1}
              max={50}
              allowDecimal={false}
              error={shown.maxFilesPerMessage}
            />
            <NumberInput
              label="Largest message, all files together (MB)"
              description={`Now ${formatBytes(server.maxMessageBytes)}`}
              value={round(draft.maxMessageBytes / MB)}
              onChange={(v) =>
                setNumber('maxMessageBytes', v, (n) => ({ maxMessageBytes: Math.round(n * MB) }))
              }
              min={0.1}
              max={4096}
              decimalScale={1}
              error={shown.maxMessageBytes}
            />
            <NumberInput
              label="Storage per project (GB)"
              description={`Now ${formatBytes(server.projectQuotaBytes)}`}
              value={round(draft.projectQuotaBytes / GB)}
              onChange={(v) =>
                setNumber('projectQuotaBytes', v, (n) => ({
                  projectQuotaBytes: Math.round(n * GB),
                }))
              }
              min={0.1}
              max={1024}
              decimalScale={1}
              error={shown.projectQuotaBytes}
            />
            <NumberInput
              label="Longest message text (characters)"
              value={draft.maxBodyChars}
              onChange={(v) => setNumber('maxBodyChars', v, (n) => ({ maxBodyChars: n }))}
              min={100}
              max={100_000}
              step={1000}
              allowDecimal={false}
              thousandSeparator=","
              error={shown.maxBodyChars}
            />
          </SimpleGrid>
          <MultiSelect
            label="Allowed file types"
            description="Files of other types are refused, whatever their name says."
            data={fileTypeOptions}
            value={draft.allowedFileTypes}
            onChange={(value) =>
              update({ allowedFileTypes: knownFileTypeKeys.filter((k) => value.includes(k)) })
            }
            searchable
            hidePickedOptions
            error={shown.allowedFileTypes}
          />
        </Section>

        <Section
          title="Urgent messages"
          description="A customer message containing one of these words or phrases is marked urgent and always notifies staff."
        >
          <TagsInput
            label="Urgent keywords"
            description="Press Enter or type a comma after each keyword."
            value={draft.urgentKeywords}
            onChange={(value) => update({ urgentKeywords: value.map((k) => k.trim()) })}
            splitChars={[',']}
            clearable
            acceptValueOnBlur
            error={shown.urgentKeywords}
          />
        </Section>

        <Section
          title="Response time and auto-reply"
          description="Set expectations for customers: the portal shows the response time beside the message form."
        >
          <TextInput
            label="Expected response time"
            description="Shown to customers, e.g. “We reply within one business day.”"
            value={draft.expectedResponseTime}
            onChange={(e) => update({ expectedResponseTime: e.currentTarget.value })}
            maxLength={200}
            error={shown.expectedResponseTime}
          />
          <Group grow align="flex-start">
            <TextInput
              label="Office phone"
              description="Wherever the portal and its emails say “please call us”, they give this number."
              placeholder="(555) 010-4477"
              value={draft.contactPhone}
              onChange={(e) => update({ contactPhone: e.currentTarget.value })}
              maxLength={40}
              error={shown.contactPhone}
            />
            <TextInput
              label="Office hours"
              description="Said beside the phone number, in your words."
              placeholder="Mon–Fri 8am–5pm"
              value={draft.officeHours}
              onChange={(e) => update({ officeHours: e.currentTarget.value })}
              maxLength={120}
              error={shown.officeHours}
            />
          </Group>
          <BusinessHours
            value={draft.businessHours}
            onChange={(businessHours) => update({ businessHours })}
            timeZones={timeZones}
            errors={shown}
          />
          <Switch
            label="Send an automatic reply"
            checked={draft.autoReply.enabled}
            onChange={(e) =>
              update({ autoReply: { ...draft.autoReply, enabled: e.currentTarget.checked } })
            }
          />
          <Select
            label="Send the auto-reply"
            data={[
              { value: 'always', label: 'To every customer message' },
              { value: 'outside-business-hours', label: 'Outside business hours' },
              { value: 'first-message', label: 'To the first message of a conversation' },
            ]}
            value={draft.autoReply.when}
            onChange={(when) =>
              when &&
              update({
                autoReply: {
                  ...draft.autoReply,
                  when: when as CompanySettings['autoReply']['when'],
                },
              })
            }
            allowDeselect={false}
            disabled={!draft.autoReply.enabled}
          />
          <Textarea
            label="Auto-reply text"
            value={draft.autoReply.text}
            onChange={(e) =>
              update({ autoReply: { ...draft.autoReply, text: e.currentTarget.value } })
            }
            autosize
            minRows={3}
            maxRows={8}
            disabled={!draft.autoReply.enabled}
            error={shown.autoReplyText}
            description={`${draft.autoReply.text.length.toLocaleString()} of 2,000 characters`}
          />
        </Section>

        <Section
          title="Staff digest"
          description="An email summary of portal activity for staff who have the digest turned on."
        >
          <Group align="flex-start">
            <Select
              label="How often"
              data={[
                { value: 'off', label: 'Off' },
                { value: 'daily', label: 'Daily' },
                { value: 'weekly', label: 'Weekly' },
              ]}
              value={draft.digest.frequency}
              onChange={(frequency) =>
                frequency &&
                update({
                  digest: {
                    ...draft.digest,
                    frequency: frequency as CompanySettings['digest']['frequency'],
                  },
                })
              }
              allowDeselect={false}
              w={160}
            />
            <Select
              label="On"
              data={weekdays.map((label, i) => ({ value: String(i), label }))}
              value={String(draft.digest.weekday)}
              onChange={(d) => d && update({ digest: { ...draft.digest, weekday: Number(d) } })}
              allowDeselect={false}
              disabled={draft.digest.frequency !== 'weekly'}
              w={160}
            />
            <Select
              label="At"
              description={`In ${draft.businessHours.timezone}`}
              data={Array.from({ length: 24 }, (_, h) => ({
                value: String(h),
                label: `${String(h).padStart(2, '0')}:00`,
              }))}
              value={String(draft.digest.hour)}
              onChange={(h) => h && update({ digest: { ...draft.digest, hour: Number(h) } })}
              allowDeselect={false}
              disabled={draft.digest.frequency === 'off'}
              w={120}
            />
          </Group>
        </Section>

        <Paper
          withBorder
          p="sm"
          radius="md"
          pos="sticky"
          bottom={0}
          style={{ zIndex: 2 }}
          data-testid="portal-settings-actions"
        >
          <Stack gap="xs">
            {saveError && (
              <Alert color="red" title="The server did not save the settings" role="alert">
                {saveError}
              </Alert>
            )}
            {showErrors && errorCount > 0 && (
              <Alert color="red" title="Check the highlighted fields" role="alert">
                {Object.values(errors).join(' ')}
              </Alert>
            )}
            <Group justify="space-between">
              <Text size="sm" c="dimmed" aria-live="polite">
                {dirty
                  ? `${Object.keys(patch).length} unsaved ${Object.keys(patch).length === 1 ? 'change' : 'changes'}`
                  : 'All changes saved'}
              </Text>
              <Group gap="xs">
                <Button variant="default" onClick={discard} disabled={!dirty || busy}>
                  Discard changes
                </Button>
                <Button type="submit" loading={busy} disabled={!dirty}>
                  Save settings
                </Button>
              </Group>
            </Group>
          </Stack>
        </Paper>
      </Stack>
    </form>
  )
}

function BusinessHours({
  value,
  onChange,
  timeZones,
  errors,
}: {
  value: CompanySettings['businessHours']
  onChange: (next: CompanySettings['businessHours']) => void
  timeZones: string[]
  errors: Errors
}) {
  const daysLabel = useId()
  return (
    <Stack gap="xs">
      <Group align="flex-start">
        <Select
          label="Business hours time zone"
          data={timeZones}
          value={value.timezone}
          onChange={(timezone) => timezone && onChange({ ...value, timezone })}
          searchable
          allowDeselect={false}
          error={errors.timezone}
          w={260}
          comboboxProps={{ withinPortal: true }}
        />
        <TimeInput
          label="Open from"
          value={value.start}
          onChange={(e) => onChange({ ...value, start: e.currentTarget.value })}
          error={errors.hoursStart}
          w={130}
        />
        <TimeInput
          label="Until"
          value={value.end}
          onChange={(e) => onChange({ ...value, end: e.currentTarget.value })}
          error={errors.hoursEnd}
          w={130}
        />
      </Group>
      <Input.Wrapper label="Business days" labelElement="div" id={daysLabel} error={errors.days}>
        <Chip.Group
          multiple
          value={value.days.map(String)}
          onChange={(days) => onChange({ ...value, days: days.map(Number).sort((a, b) => a - b) })}
        >
          <Group gap={6} mt={4} role="group" aria-labelledby={`${daysLabel}-label`}>
            {[1, 2, 3, 4, 5, 6, 0].map((d) => (
              <Chip key={d} value={String(d)} size="sm">
                {weekdays[d]!.slice(0, 3)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </Input.Wrapper>
    </Stack>
  )
}

function timeZoneOptions(current: string): string[] {
  let zones: string[] = []
  try {
    zones = Intl.supportedValuesOf('timeZone')
  } catch {
    /* an old engine: the current zone alone */
  }
  const all = new Set(['UTC', ...zones])
  all.add(current)
  return [...all]
}

const round = (n: number) => Math.round(n * 10) / 10
