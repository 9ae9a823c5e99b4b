import type { CompanySettings } from '../../../src/shared/protocol'
import { whyCannotSend, type CannotSendReason } from '../../../src/shared/may-send'
import type { ProjectRow } from '../db/schema'
import { AppError, forbidden } from '../errors'
import type { Caller } from './caller'
import { portalOpen } from './settings'

type Project = Pick<ProjectRow, 'name' | 'stage'>

/**
 * The server's words for each reason of the shared checklist (src/shared/may-send.ts): they
 * speak to the person refused and name the admin setting that would change it.
 */
const refusals: Record<CannotSendReason, (project: Project) => AppError> = {
  INTERNAL_NOTE_STAFF_ONLY: () => forbidden('Only staff can write internal notes.'),
  MESSAGES_DISABLED: () =>
    new AppError(
      'MESSAGES_DISABLED',
      'Messages are turned off for this portal. Please call or email your builder; an admin can turn Messages on in Admin → Company Settings → Client Portal.',
    ),
  PROJECT_STAGE_CLOSED: (project) =>
    new AppError(
      'PROJECT_STAGE_CLOSED',
      `Messages for ${project.name} are not open while the project is in the ${project.stage} stage. Please call your builder directly.`,
    ),
  SUBCONTRACTORS_NOT_ALLOWED: () =>
    new AppError(
      'SUBCONTRACTORS_NOT_ALLOWED',
      'Subcontractors cannot send portal messages for this company. Please contact the builder directly.',
    ),
}

/**
 * The help page's "Customer can't send messages" checklist (the shared rule), refused with the
 * reason's own error code and words: Messages enabled, portal access (checked at sign-in and on
 * every request), the project in an open stage.
 */
export function assertMaySend(
  caller: Caller,
  settings: CompanySettings,
  project: Project,
  internal: boolean,
): void {
  const reason = whyCannotSend({
    role: caller.role,
    internal,
    messagesEnabled: settings.messagesEnabled,
    portalOpen: portalOpen(settings, project.stage),
    subcontractorsAllowed: settings.subcontractorsAllowed,
  })
  if (reason) throw refusals[reason](project)
}
