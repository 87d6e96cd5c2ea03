// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/**
 * The layering of DESIGN.md, enforced (test/lint/layers.test.ts proves each rule fails a
 * violating import):
 * - electron is imported only in src-main/shell and src-preload (the sandboxed preload's
 *   contextBridge needs it: the one honest exception);
 * - the shell (Electron) and the host (browser) each build on core and shared, never on each other;
 * - the core never imports the shell, the host, the preload or the renderer;
 * - the renderer imports only src-shared and its own files (and npm packages), no Node built-ins;
 * - SQL drivers (better-sqlite3, postgres) only where SQL lives: the collector's stores
 *   (src-collector/store/**, their migration runners and SQLite worker threads included) and the
 *   desktop cache (src-main/core/cache/**, its migration runner included). Exceptions today: the
 *   desktop's feature stores src-main/core/{landing,legal,offers,properties}/store.ts, which keep
 *   their tables in the cache database and take its handle (`import type Database`). Exempt:
 *   bench/, scripts/ and test/, which set databases up directly on purpose. When the one migration
 *   runner of issue 15 moves out of those folders, add its folder to SQL_HOMES.
 *
 * Each restriction is its own rule name (the typescript-eslint rule under several aliases), so
 * they compose per folder instead of the last `no-restricted-imports` block replacing the others.
 * Limits: static `import`/`export … from` only, not `require()` or `import()`.
 */
const restrictImports = tseslint.plugin.rules?.['no-restricted-imports'];
if (!restrictImports) throw new Error('typescript-eslint has no no-restricted-imports rule');
const layers = {
  rules: {
    electron: restrictImports,
    'sql-driver': restrictImports,
    'shell-host': restrictImports,
    core: restrictImports,
    renderer: restrictImports,
  },
};

const ALL = ['**/*.{ts,tsx,js,mjs,cjs}'];
const SQL_HOMES = [
  'src-collector/store/**',
  'src-main/core/cache/**',
  'src-main/core/landing/store.ts',
  'src-main/core/legal/store.ts',
  'src-main/core/offers/store.ts',
  'src-main/core/properties/store.ts',
];
const SQL_EXEMPT = ['bench/**', 'scripts/**', 'test/**'];

/** an import path segment, relative or from the repo root: `../host/x`, `../../src-main/host` */
const segment = (name) => `(^|/)${name}(/|$)`;

export default tseslint.config(
  // src-wasm is AssemblyScript (its own types and decorators), checked by its compiler (npm run build:wasm)
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      '.tmp/**',
      'src-wasm/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  { files: ALL, plugins: { layers } },
  {
    files: ALL,
    ignores: ['src-main/shell/**', 'src-preload/**'],
    rules: {
      'layers/electron': [
        'error',
        {
          paths: [
            // a type-only import is erased and never loads the binary (test/shell types the menu template)
            {
              name: 'electron',
              message: 'electron is imported only in src-main/shell and src-preload.',
              allowTypeImports: true,
            },
          ],
          patterns: [
            {
              group: ['electron/*'],
              message: 'electron is imported only in src-main/shell and src-preload.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ALL,
    ignores: [...SQL_HOMES, ...SQL_EXEMPT],
    rules: {
      'layers/sql-driver': [
        'error',
        {
          paths: ['better-sqlite3', 'postgres'].map((name) => ({
            name,
            message:
              'SQL drivers only in src-collector/store and src-main/core/cache (see eslint.config.js).',
          })),
        },
      ],
    },
  },
  {
    files: ['src-main/shell/**'],
    rules: {
      'layers/shell-host': [
        'error',
        {
          patterns: [
            {
              regex: segment('host'),
              message: 'The shell builds on core and shared, never on the browser host.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/host/**'],
    rules: {
      'layers/shell-host': [
        'error',
        {
          patterns: [
            {
              regex: segment('shell'),
              message: 'The browser host builds on core and shared, never on the shell.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/core/**'],
    rules: {
      'layers/core': [
        'error',
        {
          patterns: [
            {
              regex: `${segment('shell')}|${segment('host')}|${segment('src-renderer')}|${segment('src-preload')}`,
              message: 'The core is used by the shell and the host, never the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'layers/renderer': [
        'error',
        {
          paths: ['fs', 'path', 'child_process', 'os'],
          patterns: [
            { group: ['node:*'], message: 'The renderer talks only to window.blitz.' },
            {
              regex: `${segment('src-main')}|${segment('src-collector')}|${segment('src-preload')}`,
              message:
                'The renderer imports only src-shared and its own files; the rest is behind window.blitz.',
            },
          ],
        },
      ],
    },
  },
);
