import { describe, expect, it } from 'vitest'
import { SqliteLimitStore } from './sqlite'
import { testDatabases } from './test-databases'

const databases = testDatabases('portal-limit-store-')
const database = () => databases.open()

describe('the SQLite limit store', () => {
  it('counts in windows, forgets on request, and says when a window resets', async () => {
    const { db, sqlite } = await database()
    const counter = new SqliteLimitStore(db, sqlite).counter({ name: 't', points: 2, seconds: 60 })
    expect(await counter.peek('k')).toBeNull()
    expect(await counter.add('k')).toMatchObject({ consumed: 1, allowed: true })
    expect(await counter.add('k')).toMatchObject({ consumed: 2, allowed: true })
    const over = await counter.add('k')
    expect(over).toMatchObject({ consumed: 3, allowed: false })
    expect(over.msBeforeReset).toBeGreaterThan(0)
    expect(over.msBeforeReset).toBeLessThanOrEqual(60_000)
    expect(await counter.peek('k')).toMatchObject({ consumed: 3 })
    await counter.forget('k')
    expect(await counter.peek('k')).toBeNull()
    // Names keep kinds apart in the one table.
    const other = new SqliteLimitStore(db, sqlite).counter({ name: 'u', points: 2, seconds: 60 })
    await counter.add('k')
    expect(await other.peek('k')).toBeNull()
  })

  it('a count made while another request’s transaction is open survives that transaction’s rollback', async () => {
    const { db, sqlite } = await database()
    const counter = new SqliteLimitStore(db, sqlite).counter({ name: 't', points: 5, seconds: 60 })
    let counted: Promise<unknown> = Promise.resolve()
    await db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('companies')
          .values({
            id: 'c',
            name: 'n',
            settings: '{}',
            last_seq: 0,
            settings_seq: 0,
            created_at: 'x',
          })
          .execute()
        // Another request's sign-in failure arrives while this transaction waits on something.
        counted = counter.add('k')
        await new Promise((resolve) => setTimeout(resolve, 20))
        throw new Error('this request fails and rolls back')
      })
      .catch(() => undefined)
    await counted
    expect(await db.selectFrom('companies').select('id').execute()).toEqual([])
    expect(await counter.peek('k')).toMatchObject({ consumed: 1 })
  })
})
