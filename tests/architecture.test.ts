import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/** The import rules of DESIGN.md are enforced by lint; these cases prove each rule fires (and allows what it should). */
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname })

async function violations(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message)
}

describe('one-way imports', () => {
  it.each([
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
  ])('%s may not import: %s', async (file, source) => {
    expect(await violations(file, source)).not.toEqual([])
  })

  it.each([
    ['src/shared/x.ts', "import { z } from 'zod'\nexport const a = z"],
    [
      'src/main/core/x.ts',
      "import fs from 'node:fs'\nimport { a } from '../../shared/protocol'\nexport const b = [fs, a]",
    ],
    ['src/renderer/x.ts', "import type { Bridge } from '../preload/index'\nexport type B = Bridge"],
    ['server/src/x.ts', "import { a } from '../../src/shared/protocol'\nexport const b = a"],
    [
      'server/web/src/x.ts',
      "import { theme } from '../../../src/ui/theme'\nexport const b = theme",
    ],
    ['src/renderer/x.ts', "import { theme } from '../ui/theme'\nexport const b = theme"],
  ])('%s may import: %s', async (file, source) => {
    expect(await violations(file, source)).toEqual([])
  })
})

describe('one clock', () => {
  const clockViolations = async (file: string, source: string) => {
    const [result] = await eslint.lintText(source, { filePath: file })
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax')
  }

  it.each([
    ['server/src/x.ts', 'export const a = Date.now()'],
    ['server/src/x.ts', 'export const a = new Date().toISOString()'],
    ['src/main/core/x.ts', 'export const a = new Date()'],
    ['src/shared/x.ts', 'export const a = Date.now() + 1'],
    ['server/src/x.ts', "import dayjs from 'dayjs'\nexport const a = dayjs()"],
  ])('%s may not read the wall clock: %s', async (file, source) => {
    expect(await clockViolations(file, source)).not.toEqual([])
  })

  it.each([
    ['server/src/x.ts', "export const a = new Date('2026-12-07T10:00:00Z')"],
    ['server/src/x.ts', 'export const a = (at: number) => new Date(at).getDay()'],
    ['src/shared/clock.ts', 'export const a = Date.now()'],
    ['src/main/core/x.test.ts', 'export const a = Date.now()'],
    ['src/renderer/x.ts', 'export const a = Date.now()'],
  ])('%s may: %s', async (file, source) => {
    expect(await clockViolations(file, source)).toEqual([])
  })
})
