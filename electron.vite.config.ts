import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

const firstPaintLibraries = new RegExp(
  `node_modules[\\\\/](${[
    'react',
    'react-dom',
    'scheduler',
    '@mantine[\\\\/](core|hooks|store|notifications|spotlight)',
    '@floating-ui',
    '@tanstack',
    'tslib',
    'clsx',
    'react-remove-scroll',
    'react-remove-scroll-bar',
    'react-style-singleton',
    'use-callback-ref',
    'use-sidecar',
    'react-transition-group',
    'react-number-format',
    'react-textarea-autosize',
    'get-nonce',
    'detect-node-es',
    'dayjs',
  ].join('|')})[\\\\/]`,
)

// Three bundles, one per process. main and preload run in Node/Electron; the renderer is a plain
// browser bundle that reaches the engine only through the preload bridge (docs/architecture.md).
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/main/index.ts') },
        // Native modules stay outside the bundle and load from node_modules at run time.
        external: ['better-sqlite3', 'electron'],
      },
    },
  },
  preload: {
    // A sandboxed preload can neither load ES modules nor require packages: one self-contained
    // CommonJS file that requires only electron.
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      // electron-vite leaves bundles unminified; the renderer's 3 MB took ~200 ms to evaluate
      // before the first inbox rows could paint.
      minify: true,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') },
        // The libraries the first paint runs go in one chunk. Left to itself, rolldown cuts what
        // the entry shares with the lazy screens into a dozen small chunks, and fetching them
        // cost more than the ~100 KB of Mantine components this adds for the lazy screens
        // (npm run bench -- --quick --only ui: script loaded and DOMContentLoaded later).
        output: { codeSplitting: { groups: [{ name: 'vendor', test: firstPaintLibraries }] } },
      },
    },
    plugins: [react()],
  },
})
