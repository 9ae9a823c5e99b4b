import { bodyCount, bodyTooLong } from '../../../shared/message-body'
import { useSettings } from '../state/directory'

/**
 * The company's limit on a message being written (settings.maxBodyChars, from the engine's
 * cache): a count under the box as the text nears it, and over it the sentence that refuses the
 * send before anything is queued, while the text stays in the box. The reply box, the
 * new-conversation form and the outbox's edit dialog all use it, in the same words as the
 * engine and the server.
 */
export function useBodyLimit(text: string): {
  /** "18,400 of 20,000 characters" near the limit, else null. */
  count: string | null
  /** The refusal over the limit, else null. */
  tooLong: string | null
} {
  const settings = useSettings()
  const max = settings?.maxBodyChars
  // What is sent is the trimmed text: count that.
  const length = text.trim().length
  if (max === undefined) return { count: null, tooLong: null }
  const tooLong = bodyTooLong(length, max)
  return { count: tooLong ? null : bodyCount(length, max), tooLong }
}

/** Puts the count under the message box (Mantine shows a description above it by default). */
export const countBelowBox = ['label', 'input', 'description', 'error'] as const
