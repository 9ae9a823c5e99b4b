import fs from 'node:fs/promises'
import { safeStorage } from 'electron'
import type { TokenStore } from '../core/token-store'

export interface CredentialStatus {
  persisted: boolean
  /** Said to the person when the token cannot be kept safely on disk. */
  warning: string | null
}

/**
 * The session token, encrypted with the OS keychain through safeStorage. Where Linux offers only
 * the basic_text backend (no keyring running), encryption would be a pretence: the token is kept
 * in memory only and the person is told they will sign in again after a restart.
 */
export class SafeStorageTokenStore implements TokenStore {
  private memory: string | null = null
  readonly status: CredentialStatus

  constructor(private readonly file: string) {
    const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'
    const usable =
      safeStorage.isEncryptionAvailable() && backend !== 'basic_text' && backend !== 'unknown'
    this.status = usable
      ? { persisted: true, warning: null }
      : {
          persisted: false,
          warning:
            'No system keyring is available, so your sign-in is kept only until Portal Inbox closes. Install and unlock a keyring (GNOME Keyring or KWallet) to stay signed in.',
        }
  }

  async load(): Promise<string | null> {
    if (!this.status.persisted) return this.memory
    try {
      return safeStorage.decryptString(await fs.readFile(this.file))
    } catch {
      return null
    }
  }

  async save(token: string): Promise<void> {
    if (!this.status.persisted) {
      this.memory = token
      return
    }
    await fs.writeFile(this.file, safeStorage.encryptString(token), { mode: 0o600 })
  }

  async clear(): Promise<void> {
    this.memory = null
    await fs.rm(this.file, { force: true })
  }
}
