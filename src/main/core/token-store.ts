/**
 * Where the session token lives. The Electron glue backs this with safeStorage (or memory only
 * where Linux offers just the basic_text backend); tests and the headless host bring their own.
 */
export interface TokenStore {
  load(): Promise<string | null>
  save(token: string): Promise<void>
  clear(): Promise<void>
}

export class MemoryTokenStore implements TokenStore {
  constructor(private token: string | null = null) {}
  async load() {
    return this.token
  }
  async save(token: string) {
    this.token = token
  }
  async clear() {
    this.token = null
  }
}
