// The Client Portal form's values and what to fix in them. The limits are the wire schema's
// (CompanySettings, which the server checks with too); the words are the form's own, said about
// the field as a person sees it (MB, not bytes), so each schema failure is mapped to them here.
import { schemaResolver, type FormErrors } from '@mantine/form'
import { formatBytes } from '../../../../shared/files'
import { CompanySettings } from '../../../../shared/protocol'

/** The number fields, blank ('') while a person retypes one. */
export type NumberField =
  'maxFileBytes' | 'maxMessageBytes' | 'maxFilesPerMessage' | 'projectQuotaBytes' | 'maxBodyChars'
export type PortalDraft = Omit<CompanySettings, NumberField> & Record<NumberField, number | ''>
type Patch = Partial<CompanySettings>

/** Only the fields that differ from what the server has (a blank one is not a change yet): the save sends nothing else. */
export function changedFields(saved: CompanySettings, draft: PortalDraft): Patch {
  const patch: Record<string, unknown> = {}
  for (const key of Object.keys(draft) as (keyof CompanySettings)[])
    if (draft[key] !== '' && JSON.stringify(draft[key]) !== JSON.stringify(saved[key]))
      patch[key] = draft[key]
  return patch as Patch
}

/** The server's new settings with this form's own edits (fields that differed from `before`) on top. */
export function rebase(
  before: CompanySettings,
  edited: PortalDraft,
  next: CompanySettings,
): PortalDraft {
  const blank = Object.fromEntries(Object.entries(edited).filter(([, value]) => value === ''))
  return { ...next, ...changedFields(before, edited), ...blank }
}

export const hasBlank = (draft: PortalDraft): boolean => Object.values(draft).includes('')

const checkSchema = schemaResolver(CompanySettings, { sync: true })

/** What to fix before saving, by field path, in the order the form shows them; the server checks again and its word is final. */
export function portalSettingsErrors(draft: PortalDraft): FormErrors {
  const failed = checkSchema(draft)
  const fails = (path: string) =>
    Object.keys(failed).some((key) => key === path || key.startsWith(`${path}.`))
  const errors: Record<string, string> = {}
  const say = (path: string, words: string | false) => {
    if (words) errors[path] = words
  }
  const blank = (field: NumberField, what: string) => draft[field] === '' && `Enter ${what}.`
  const { maxFileBytes, maxMessageBytes } = draft

  say('maxFileBytes', fails('maxFileBytes') && 'Choose a file size limit between 0.1 and 1024 MB.')
  say('maxFileBytes', blank('maxFileBytes', 'the largest file size in MB'))
  say(
    'maxMessageBytes',
    fails('maxMessageBytes')
      ? 'Choose a message size limit between 0.1 MB and 4096 MB.'
      : maxFileBytes !== '' &&
          maxMessageBytes !== '' &&
          maxMessageBytes < maxFileBytes &&
          `A message must be able to carry one file: make this at least the file limit (${formatBytes(maxFileBytes)}).`,
  )
  say('maxMessageBytes', blank('maxMessageBytes', 'the largest message size in MB'))
  say(
    'maxFilesPerMessage',
    fails('maxFilesPerMessage') && 'Allow between 1 and 50 files per message.',
  )
  say('maxFilesPerMessage', blank('maxFilesPerMessage', 'how many files a message may carry'))
  say(
    'projectQuotaBytes',
    fails('projectQuotaBytes') && 'Choose a storage limit between 0.1 and 1024 GB per project.',
  )
  say('projectQuotaBytes', blank('projectQuotaBytes', 'the storage per project in GB'))
  say('maxBodyChars', fails('maxBodyChars') && 'Allow between 100 and 100,000 characters.')
  say('maxBodyChars', blank('maxBodyChars', 'the longest message in characters'))
  // The server allows none (customers then cannot attach); the form asks to choose at least one.
  say(
    'allowedFileTypes',
    draft.allowedFileTypes.length === 0 &&
      'Allow at least one file type, or customers cannot attach files.',
  )
  const badKeyword = draft.urgentKeywords.findIndex((_, i) => fails(`urgentKeywords.${i}`))
  say(
    'urgentKeywords',
    badKeyword >= 0
      ? `“${draft.urgentKeywords[badKeyword]}”: a keyword needs 2 to 60 characters.`
      : fails('urgentKeywords') && 'Use at most 100 keywords.',
  )
  say(
    'autoReply.text',
    draft.autoReply.enabled &&
      !draft.autoReply.text.trim() &&
      'Write the auto-reply, or turn auto-reply off.',
  )
  say(
    'autoReply.text',
    fails('autoReply.text') &&
      `Shorten the auto-reply to 2,000 characters (it has ${draft.autoReply.text.length.toLocaleString()}).`,
  )
  say('expectedResponseTime', fails('expectedResponseTime') && 'Shorten this to 200 characters.')
  const hours = draft.businessHours
  say(
    'businessHours.timezone',
    fails('businessHours.timezone') &&
      'Choose a time zone such as America/Denver or Europe/Berlin.',
  )
  say('businessHours.start', fails('businessHours.start') && 'Enter a time as HH:MM, e.g. 08:00.')
  say(
    'businessHours.end',
    fails('businessHours.end')
      ? 'Enter a time as HH:MM, e.g. 17:00.'
      : !fails('businessHours.start') &&
          hours.end <= hours.start &&
          'Business hours must end after they start.',
  )
  say(
    'businessHours.days',
    draft.autoReply.enabled &&
      draft.autoReply.when === 'outside-business-hours' &&
      !hours.days.length &&
      'Pick the business days, or every hour counts as outside business hours.',
  )
  // Anything else the schema refuses (the inputs' own limits keep these from happening) in its words.
  for (const [path, words] of Object.entries(failed))
    if (!Object.keys(errors).some((key) => path === key || path.startsWith(`${key}.`)))
      say(path, typeof words === 'string' && words)
  return errors
}
