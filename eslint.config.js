// Imports run one way (docs/architecture.md): renderer -> shared, preload -> shared,
// main/electron -> main/core -> shared, main/host -> main/core -> shared, server -> shared.
// Each block below forbids what its folder must not reach, so the rule is a check, not a hope.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'
import importX, { createNodeResolver } from 'eslint-plugin-import-x'

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
  'stream',
  'url',
  'util',
  'events',
  'buffer',
  'worker_threads',
]
const serverForbidden = [
  'electron',
  '**/src/main/**',
  '**/src/renderer/**',
  '**/src/preload/**',
  '**/main/core/**',
]

// SQL has its rooms: the server's repositories, database and limiter stores, the desktop's
// cache (each with its tests). Elsewhere code calls the named functions those rooms export.
const sqlRooms = [
  'server/src/repositories/**',
  'server/src/db/**',
  'server/src/limits/stores/**',
  'src/main/core/cache/**',
]
// Files that still import a database library outside its rooms: engine.ts opens the cache
// (its type import of better-sqlite3 names the handle it passes into cache/).
const forbid = (groups, message) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
})

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'data/',
      'server/web/dist/',
      'test-results/',
      'scratch/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/shared/**'],
    rules: forbid(
      [
        ...nodeBuiltins,
        'electron',
        'react',
        'react-dom',
        '@mantine/*',
        '**/ui/**',
        '**/main/**',
        '**/renderer/**',
        '**/preload/**',
        '**/server/**',
        'better-sqlite3',
        'kysely',
        'fastify',
        'socket.io',
        'socket.io-client',
        'axios',
      ],
      'src/shared is pure TypeScript: it may import only other shared modules and zod.',
      { node: true },
    ),
  },
  {
    files: ['src/main/core/**'],
    rules: forbid(
      [
        'electron',
        '**/main/electron/**',
        '**/electron/**',
        '**/host/**',
        '**/renderer/**',
        '**/preload/**',
        '**/server/**',
        '**/ui/**',
      ],
      'The desktop engine (main/core) never imports electron, the host, the renderer, the UI kit or the server.',
    ),
  },
  {
    files: ['src/main/electron/**'],
    rules: forbid(
      ['**/host/**', '**/renderer/**', '**/preload/**', '**/server/**'],
      'main/electron may import main/core and shared only.',
    ),
  },
  {
    files: ['src/main/host/**'],
    rules: forbid(
      [
        'electron',
        '**/main/electron/**',
        '**/electron/**',
        '**/renderer/**',
        '**/preload/**',
        '**/server/**',
      ],
      'main/host may import main/core and shared only.',
    ),
  },
  {
    files: ['src/preload/**'],
    rules: forbid(
      ['**/main/**', '**/renderer/**', '**/server/**'],
      'preload builds the bridge from shared/ipc only.',
    ),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeBuiltins, 'electron', '**/main/**', '**/server/**'],
              message:
                'The renderer talks to the engine only through the IPC contract in src/shared.',
            },
            {
              group: ['**/preload/**'],
              allowTypeImports: true,
              message: 'The renderer may see only the types of preload.',
            },
          ],
        },
      ],
    },
  },
  {
    // src/ui: React pieces both web pages use (the staff inbox and the customer portal).
    files: ['src/ui/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid(
      [
        ...nodeBuiltins,
        'electron',
        '**/main/**',
        '**/renderer/**',
        '**/preload/**',
        '**/server/**',
      ],
      'src/ui is browser UI shared by the two web pages: it may import shared, React and Mantine only.',
    ),
  },
  {
    files: ['server/**'],
    rules: forbid(
      serverForbidden,
      'The portal server may import src/shared only (and its web page src/ui).',
    ),
  },
  {
    // The server process is Node: no React, no UI kit. Its web page (server/web) may use src/ui.
    files: ['server/src/**'],
    rules: forbid(
      // ESLint keeps the last matching block's rule, so this repeats server/**'s groups.
      [...serverForbidden, '**/src/ui/**', 'react', 'react-dom', '@mantine/*'],
      'The portal server (server/src) runs in Node; only its web page (server/web) uses src/ui.',
    ),
  },
  {
    // One clock (src/shared/clock.ts): what the server, the engine and shared code decide by the
    // time comes from a Clock they are given, so tests can say what time it is.
    files: ['server/src/**', 'src/main/core/**', 'src/shared/**'],
    ignores: ['src/shared/clock.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message:
            'Read the time from the Clock you were given (src/shared/clock.ts), not Date.now().',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message:
            'Read the time from the Clock you were given (src/shared/clock.ts), not new Date().',
        },
        {
          selector: "CallExpression[callee.name='dayjs'][arguments.length=0]",
          message:
            'Read the time from the Clock you were given (src/shared/clock.ts), not dayjs().',
        },
      ],
    },
  },
  {
    // No import cycles: each module can be read (and tested) knowing only what it imports.
    // import-x resolves with its own resolver (unrs-resolver, the one eslint-import-resolver-typescript
    // wraps) given TypeScript's extensions; type-only imports are not counted (madge checks those).
    files: ['src/**/*.{ts,tsx}', 'server/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // What import-x parses to follow a chain (its default is .js only), and with which parser.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.json'] }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/**', 'server/**'],
    ignores: [...sqlRooms],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['kysely', 'kysely/*', 'better-sqlite3'],
              message:
                'SQL lives in its rooms (server/src/repositories, db, limits/stores; src/main/core/cache): call a function of theirs.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read raw JSON answers, including malformed ones on purpose.
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
