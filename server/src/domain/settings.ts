import {
  CompanySettings,
  DesktopAlerts,
  PublicSettings,
  type Preferences,
  type ProjectStage,
  type Role,
} from '../../../src/shared/protocol'

export const defaultSettings: CompanySettings = {
  messagesEnabled: true,
  portalOpenStages: ['pre-construction', 'construction', 'warranty'],
  maxFileBytes: 25 * 1024 * 1024,
  maxMessageBytes: 50 * 1024 * 1024,
  maxFilesPerMessage: 10,
  projectQuotaBytes: 2 * 1024 * 1024 * 1024,
  maxBodyChars: 20_000,
  allowedFileTypes: [
    'jpg',
    'jpeg',
    'png',
    'gif',
    'heic',
    'pdf',
    'doc',
    'docx',
    'xls',
    'xlsx',
    'txt',
    'csv',
  ],
  urgentKeywords: ['urgent', 'emergency', 'leak', 'flood', 'no heat', 'gas smell'],
  autoReply: { enabled: false, text: '', when: 'outside-business-hours' },
  businessHours: { timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' },
  expectedResponseTime: 'We reply within one business day.',
  contactPhone: '',
  officeHours: '',
  subcontractorsAllowed: true,
  digest: { frequency: 'daily', hour: 7, weekday: 1 },
}

/** Stored settings are parsed leniently against today's schema: a field added later takes its default. */
export function parseSettings(json: string): CompanySettings {
  const stored: unknown = JSON.parse(json)
  const merged = { ...defaultSettings, ...(typeof stored === 'object' && stored ? stored : {}) }
  const parsed = CompanySettings.safeParse(merged)
  return parsed.success ? parsed.data : defaultSettings
}

export const publicSettings = (s: CompanySettings): PublicSettings => PublicSettings.parse(s)

export const portalOpen = (s: CompanySettings, stage: ProjectStage): boolean =>
  s.portalOpenStages.includes(stage)

export function defaultPreferences(role: Role): Preferences {
  const staff = role === 'admin' || role === 'staff'
  return { emailOnNewMessage: !staff, emailUrgent: staff, emailDigest: staff }
}

/**
 * Stored preferences over the role's defaults. The desktop part is written by the desktop app and
 * read back by it at sign-in; one that no longer fits today's schema is dropped (the person's
 * desktop keeps its own copy) rather than failing their sign-in.
 */
export function parsePreferences(json: string, role: Role): Preferences {
  const { desktop, ...rest } = JSON.parse(json) as Partial<Preferences>
  const parsed = DesktopAlerts.safeParse(desktop)
  return { ...defaultPreferences(role), ...rest, ...(parsed.success && { desktop: parsed.data }) }
}

/** Case-insensitive whole-word match of the company's urgent keywords in a customer's message. */
export function matchesUrgentKeyword(text: string, keywords: readonly string[]): boolean {
  const haystack = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `
  return keywords.some((k) => {
    const needle = k
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
    return needle.length > 0 && haystack.includes(` ${needle} `)
  })
}
