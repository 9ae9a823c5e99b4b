import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/** The import rules of docs/architecture.md are enforced by lint; these cases prove each rule fires (and allows what it should). */
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname })

/** What one rule says about `source` as if it were `file`. */
async function ruleSays(rule: string, file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file })
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message)
}

type Case = [file: string, source: string]

/** A rule proved both ways: it fires on each refused case and stays silent on each allowed one. */
function proveRule(
  name: string,
  rule: string,
  refused: { title: string; cases: Case[] },
  allowed: { title: string; cases: Case[] },
): void {
  describe(name, () => {
    it.each(refused.cases)(refused.title, async (file, source) => {
      expect(await ruleSays(rule, file, source)).not.toEqual([])
    })
    it.each(allowed.cases)(allowed.title, async (file, source) => {
      expect(await ruleSays(rule, file, source)).toEqual([])
    })
  })
}

proveRule(
  'one-way imports',
  '@typescript-eslint/no-restricted-imports',
  {
    title: '%s may not import: %s',
    cases: [
      ['src/shared/x.ts', "import fs from 'node:fs'\nexport const a = fs"],
      ['src/shared/x.ts', "import path from 'path'\nexport const a = path"],
      ['src/shared/x.ts', "import { a } from '../main/core/engine'\nexport const b = a"],
      ['src/main/core/x.ts', "import { app } from 'electron'\nexport const a = app"],
      ['src/main/core/x.ts', "import { a } from '../electron/window'\nexport const b = a"],
      ['src/main/host/x.ts', "import { a } from '../electron/window'\nexport const b = a"],
      ['src/renderer/x.ts', "import { a } from '../main/core/engine'\nexport const b = a"],
      ['src/renderer/x.ts', "import fs from 'fs'\nexport const a = fs"],
      ['src/renderer/x.ts', "import { a } from '../preload/index'\nexport const b = a"],
      ['src/preload/x.ts', "import { a } from '../main/core/engine'\nexport const b = a"],
      ['server/src/x.ts', "import { a } from '../../src/main/core/engine'\nexport const b = a"],
      ['server/src/x.ts', "import { theme } from '../../src/ui/theme'\nexport const b = theme"],
      ['src/shared/x.ts', "import { theme } from '../ui/theme'\nexport const b = theme"],
      ['src/shared/x.ts', "import { Text } from '@mantine/core'\nexport const b = Text"],
      ['src/ui/x.ts', "import { a } from '../main/core/engine'\nexport const b = a"],
    ],
  },
  {
    title: '%s may import: %s',
    cases: [
      ['src/shared/x.ts', "import { z } from 'zod'\nexport const a = z"],
      [
        'src/main/core/x.ts',
        "import fs from 'node:fs'\nimport { a } from '../../shared/protocol'\nexport const b = [fs, a]",
      ],
      [
        'src/renderer/x.ts',
        "import type { Bridge } from '../preload/index'\nexport type B = Bridge",
      ],
      ['server/src/x.ts', "import { a } from '../../src/shared/protocol'\nexport const b = a"],
      [
        'server/web/src/x.ts',
        "import { theme } from '../../../src/ui/theme'\nexport const b = theme",
      ],
      ['src/renderer/x.ts', "import { theme } from '../ui/theme'\nexport const b = theme"],
    ],
  },
)

proveRule(
  'one clock',
  'no-restricted-syntax',
  {
    title: '%s may not read the wall clock: %s',
    cases: [
      ['server/src/x.ts', 'export const a = Date.now()'],
      ['server/src/x.ts', 'export const a = new Date().toISOString()'],
      ['src/main/core/x.ts', 'export const a = new Date()'],
      ['src/shared/x.ts', 'export const a = Date.now() + 1'],
      ['server/src/x.ts', "import dayjs from 'dayjs'\nexport const a = dayjs()"],
    ],
  },
  {
    title: '%s may: %s',
    cases: [
      ['server/src/x.ts', "export const a = new Date('2026-12-07T10:00:00Z')"],
      ['server/src/x.ts', 'export const a = (at: number) => new Date(at).getDay()'],
      ['src/shared/clock.ts', 'export const a = Date.now()'],
      ['src/main/core/x.test.ts', 'export const a = Date.now()'],
      ['src/renderer/x.ts', 'export const a = Date.now()'],
    ],
  },
)

// Each source stands in for the named file, importing a module that (on disk) imports it back.
proveRule(
  'no import cycles',
  'import-x/no-cycle',
  {
    title: '%s may not import what imports it: %s',
    cases: [
      // The protocol barrel re-exports socket.ts: socket.ts importing the barrel closes a circle.
      ['src/shared/protocol/socket.ts', "import { Id } from './index'\nexport const a = Id"],
      // plugins/auth reads the session cookie from session-token.ts, the leaf it must stay.
      [
        'server/src/session-token.ts',
        "import { requireSession } from './plugins/auth'\nexport const a = requireSession",
      ],
    ],
  },
  {
    title: '%s may: %s',
    cases: [
      ['src/shared/protocol/socket.ts', "import type { Id } from './index'\nexport type A = Id"],
      [
        'server/src/plugins/x.ts',
        "import { requestToken } from '../session-token'\nexport const a = requestToken",
      ],
    ],
  },
)

proveRule(
  'SQL in its rooms',
  'no-restricted-imports',
  {
    title: '%s may not import a database library: %s',
    cases: [
      ['server/src/routes/x.ts', "import { sql } from 'kysely'\nexport const a = sql"],
      [
        'server/src/realtime/x.ts',
        "import type { Kysely } from 'kysely'\nexport type A = Kysely<object>",
      ],
      ['server/src/limits/x.ts', "import SQLite from 'better-sqlite3'\nexport const a = SQLite"],
      ['server/src/plugins/x.ts', "import { sql } from 'kysely'\nexport const a = sql"],
      ['src/main/core/outbox/x.ts', "import SQLite from 'better-sqlite3'\nexport const a = SQLite"],
      ['src/renderer/x.ts', "import { sql } from 'kysely'\nexport const a = sql"],
    ],
  },
  {
    title: '%s may: %s',
    cases: [
      ['server/src/repositories/x.ts', "import { sql } from 'kysely'\nexport const a = sql"],
      ['server/src/db/x.ts', "import SQLite from 'better-sqlite3'\nexport const a = SQLite"],
      [
        'server/src/limits/stores/x.ts',
        "import SQLite from 'better-sqlite3'\nexport const a = SQLite",
      ],
      ['src/main/core/cache/x.ts', "import SQLite from 'better-sqlite3'\nexport const a = SQLite"],
      [
        'src/main/core/cache/x.test.ts',
        "import SQLite from 'better-sqlite3'\nexport const a = SQLite",
      ],
    ],
  },
)
