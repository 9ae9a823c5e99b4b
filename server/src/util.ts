import { createHash, randomBytes } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'

export const newId = (): string => uuidv7()
export const sha256 = (text: string | Buffer): string =>
  createHash('sha256').update(text).digest('hex')
/** 256 random bits, URL-safe: session and invitation tokens. Only their hashes are stored. */
export const newToken = (): string => randomBytes(32).toString('base64url')
export const bool = (n: number): boolean => n !== 0
export const int = (b: boolean): number => (b ? 1 : 0)

export { normalizeBody } from '../../src/shared/message-body'
