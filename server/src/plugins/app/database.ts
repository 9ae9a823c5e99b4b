import fs from 'node:fs/promises'
import path from 'node:path'
import fp from 'fastify-plugin'
import { openDatabase, type OpenDatabase } from '../../db/database'

declare module 'fastify' {
  interface FastifyInstance {
    /** The portal's data; only repositories (and the SQLite stores) write SQL against it. */
    db: OpenDatabase['db']
    /** The raw SQLite handle, for the stores that speak SQLite itself (the limiter's). */
    sqlite: OpenDatabase['sqlite']
  }
}

/** Opens (and migrates) the SQLite file in the data directory; closed last, after everything that used it. */
export default fp(
  async (app) => {
    await fs.mkdir(app.config.dataDir, { recursive: true })
    const { db, sqlite } = await openDatabase(path.join(app.config.dataDir, 'portal.sqlite'))
    app.decorate('db', db)
    app.decorate('sqlite', sqlite)
    app.addHook('onClose', async () => {
      await db.destroy()
    })
  },
  { name: 'database' },
)
