import { defineConfig } from 'vitest/config'

/**
 * `npm run test:faults`: the long version of the fault suites (tests/faults), one file at a time
 * so their timing is not disturbed by each other. `npm test` runs the short version of the same
 * files with the default config.
 */
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.test.ts'],
    env: { FAULT_SUITE: 'long' },
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
})
