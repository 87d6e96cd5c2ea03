import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { CoreEvent } from '../../src-shared/ipc';
import type { CoreApi, CoreOptions } from '../../src-main/core/api';
import { createCore } from '../../src-main/core';
import { createFileSecretStore } from '../../src-main/core/secrets/file-store';

export const FAST_TIMING = {
  retryBaseMs: 50,
  retryMaxMs: 400,
  pollIntervalMs: 60_000,
  syncBackoffBaseMs: 50,
  syncBackoffMaxMs: 300,
  burstWindowMs: 5 * 60_000,
  requestTimeoutMs: 3_000,
};

export const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface TestCore {
  core: CoreApi;
  dataDir: string;
  events: CoreEvent[];
  notifications: { activityId: string; title: string; body: string }[];
  close(): Promise<void>;
}

const made = new Set<string>();

/** A fresh directory under the OS temp dir, removed after the test file that made it. */
export function tempDir(prefix = 'blitz-core-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

// registered in each test file that imports these helpers (vitest evaluates them per file)
afterAll(() => {
  for (const dir of made) removeDir(dir);
  made.clear();
});

export async function startTestCore(
  extra: Partial<CoreOptions> = {},
  dataDir = tempDir(),
): Promise<TestCore> {
  const notifications: TestCore['notifications'] = [];
  const core = createCore({
    dataDir,
    secrets: createFileSecretStore(join(dataDir, 'secrets.json'), quietLog),
    notifier: { notify: (n) => notifications.push(n) },
    log: quietLog,
    timing: FAST_TIMING,
    ...extra,
  });
  const events: CoreEvent[] = [];
  core.subscribe((e) => events.push(e));
  await core.start();
  return {
    core,
    dataDir,
    events,
    notifications,
    async close() {
      await core.stop();
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export { waitFor } from '../support/wait-for';

export const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/**
 * A real open of a tracking pixel (or click), as a recipient's mail client would do it. The
 * collector under test trusts X-Forwarded-For, so the hit comes from a documentation address and
 * not from the sender's own loopback address (which the classifier rightly calls `self`).
 */
export async function hit(url: string, ua = BROWSER_UA, from = '198.51.100.23'): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, {
        headers: { 'user-agent': ua, accept: 'image/avif,image/webp,*/*', 'x-forwarded-for': from },
        redirect: 'manual',
      });
      await res.arrayBuffer();
      return res.status;
    } catch (e) {
      // a pooled keep-alive socket of a collector that was restarted
      if (attempt >= 2) throw e;
    }
  }
}
