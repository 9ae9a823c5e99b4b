import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'
import { openDatabase, type OpenDatabase } from '../../db/database'
import { SqliteLimitStore } from './sqlite'

/**
 * Test set-up for the limits' unit tests: a real server database in a temporary folder per
 * test, closed and removed after it. Each call opens another connection to that test's file,
 * as another server node would.
 */
export function testDatabases(prefix: string): {
  open(): Promise<OpenDatabase>
  store(): Promise<SqliteLimitStore>
} {
  const opened: OpenDatabase[] = []
  let dir = ''
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.db.destroy()
    if (dir) await fs.rm(dir, { recursive: true, force: true })
    dir = ''
  })
  const open = async () => {
    dir ||= await fs.mkdtemp(path.join(os.tmpdir(), prefix))
    const database = await openDatabase(path.join(dir, 'portal.sqlite'))
    opened.push(database)
    return database
  }
  return {
    open,
    async store() {
      const { db, sqlite } = await open()
      return new SqliteLimitStore(db, sqlite)
    },
  }
}
