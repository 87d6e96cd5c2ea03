import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of eslint.config.js, run through ESLint's Node API on one-line snippets placed
 * (virtually) at real paths: each forbidden import fails with its rule, each allowed one passes.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = x;\n`, { filePath });
  if (!result) throw new Error('ESLint returned no result');
  // a snippet that does not parse would pass every "allowed" case for the wrong reason
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages.map((m) => m.ruleId ?? m.message).filter((r) => r.startsWith('layers/'));
}

const forbidden: [string, string, string][] = [
  ['src-main/shell/index.ts', "import { x } from '../host/server';", 'layers/shell-host'],
  ['src-main/shell/sub/deep.ts', "import { x } from '../../host/cli';", 'layers/shell-host'],
  ['src-main/host/server.ts', "import { x } from '../shell/url-policy';", 'layers/shell-host'],
  ['src-main/core/index.ts', "import { x } from '../shell/secret-store';", 'layers/core'],
  ['src-main/core/outbox/runner.ts', "import { x } from '../../host/recording-notifier';", 'layers/core'],
  ['src-main/core/index.ts', "import { x } from '../../src-renderer/store';", 'layers/core'],
  ['src-main/core/index.ts', "import { x } from 'electron';", 'layers/electron'],
  ['src-main/host/server.ts', "import { x } from 'electron';", 'layers/electron'],
  ['src-collector/server.ts', "import { x } from 'electron/main';", 'layers/electron'],
  ['src-shared/messages.ts', "import { x } from 'electron';", 'layers/electron'],
  ['src-renderer/App.tsx', "import { x } from '../src-main/core/api';", 'layers/renderer'],
  ['src-renderer/components/A.tsx', "import { x } from '../../src-collector/server';", 'layers/renderer'],
  ['src-renderer/App.tsx', "import { x } from 'node:fs';", 'layers/renderer'],
  ['src-renderer/App.tsx', "import { x } from 'better-sqlite3';", 'layers/sql-driver'],
  ['src-main/core/outbox/runner.ts', "import x from 'better-sqlite3';", 'layers/sql-driver'],
  ['src-main/core/sync/index.ts', "import type x from 'better-sqlite3';", 'layers/sql-driver'],
  ['src-collector/routes/api.ts', "import x from 'postgres';", 'layers/sql-driver'],
  ['src-collector/offers/files.ts', "export { default as x } from 'postgres';", 'layers/sql-driver'],
  ['src-shared/api.ts', "import x from 'better-sqlite3';", 'layers/sql-driver'],
];

const allowed: [string, string][] = [
  ['src-main/shell/index.ts', "import { x } from 'electron';"],
  ['src-preload/index.ts', "import { x } from 'electron';"],
  ['src-main/shell/index.ts', "import { x } from '../core/renderer-assets/csp';"],
  ['src-main/host/server.ts', "import { x } from '../core/collector/local-collector';"],
  ['src-main/host/server.ts', "import { x } from '../../src-shared/messages';"],
  ['src-main/core/cache/index.ts', "import x from 'better-sqlite3';"],
  ['src-main/core/offers/store.ts', "import type x from 'better-sqlite3';"],
  ['src-collector/store/sqlite/index.ts', "import x from 'better-sqlite3';"],
  ['src-collector/store/postgres/index.ts', "import x from 'postgres';"],
  ['test/collector/store.test.ts', "import x from 'better-sqlite3';"],
  ['bench/scenarios/pixel.ts', "import x from 'postgres';"],
  ['src-renderer/App.tsx', "import { x } from '../src-shared/messages';"],
];

describe('layer rules (eslint.config.js)', () => {
  it.each(forbidden)('%s: %s fails with %s', async (file, code, rule) => {
    expect(await layerErrors(file, code)).toContain(rule);
  });
  it.each(allowed)('%s: %s passes', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
