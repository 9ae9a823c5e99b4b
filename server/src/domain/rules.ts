import type { CompanySettings } from '../../../src/shared/protocol'
import type { ProjectRow } from '../db/schema'
import { AppError, forbidden } from '../errors'
import { isStaff, type Caller } from './caller'
import { portalOpen } from './settings'

/**
 * The help page's "Customer can't send messages" checklist, as code: Messages enabled, portal
 * access (checked at sign-in and on every request), the project in an open stage. Each case has
 * its own error code and says what to do.
 */
export function assertMaySend(
  caller: Caller,
  settings: CompanySettings,
  project: Pick<ProjectRow, 'name' | 'stage'>,
  internal: boolean,
): void {
  if (isStaff(caller)) return
  if (internal) throw forbidden('Only staff can write internal notes.')
  if (!settings.messagesEnabled) {
    throw new AppError(
      'MESSAGES_DISABLED',
      'Messages are turned off for this portal. Please call or email your builder; an admin can turn Messages on in Admin → Company Settings → Client Portal.',
    )
  }
  if (!portalOpen(settings, project.stage)) {
    throw new AppError(
      'PROJECT_STAGE_CLOSED',
      `Messages for ${project.name} are not open while the project is in the ${project.stage} stage. Please call your builder directly.`,
    )
  }
  if (caller.role === 'subcontractor' && !settings.subcontractorsAllowed) {
    throw new AppError(
      'SUBCONTRACTORS_NOT_ALLOWED',
      'Subcontractors cannot send portal messages for this company. Please contact the builder directly.',
    )
  }
}
