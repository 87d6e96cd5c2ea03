// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// The layering of DESIGN.md, enforced: electron only in the shell and the preload,
// no Node built-ins or native modules in the renderer, no SQL drivers outside the stores.
const noElectron = {
  paths: [{ name: 'electron', message: 'electron is imported only in src-main/shell and src-preload.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', '.tmp/**'] },
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
  {
    files: ['src-shared/**', 'src-collector/**', 'src-main/core/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    files: ['src-renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [...noElectron.paths, 'better-sqlite3', 'fs', 'path', 'child_process', 'os'],
          patterns: [{ group: ['node:*'], message: 'The renderer talks only to window.blitz.' }],
        },
      ],
    },
  },
);
