import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'

/**
 * The database handle as the rooms above the repositories see it: services and mail open a
 * transaction and hand it to repository functions, but write no SQL of their own, so they name
 * these types instead of importing the query builder (lint keeps 'kysely' in its rooms).
 */
export type PortalDb = Kysely<Database>
export type PortalTransaction = Transaction<Database>
