import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'tests/**/*.test.ts'],
    // Cross-process suites start real servers; two cores run two files at a time comfortably.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
