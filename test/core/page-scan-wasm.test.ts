import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPageScanModule, PAGE_SCAN_MODULE } from '../../scripts/lib/page-scan-wasm';
import { wireRowOfEvent } from '../../src-shared/event-rows';
import type { TrackingEvent } from '../../src-shared/events';
import { checkBulkPageParsed } from '../../src-main/core/sync/page-check';
import { scanBulkPage } from '../../src-main/core/sync/page-scan';

/**
 * The page scanner's WebAssembly (src-wasm/page-scan.ts) as the app carries it. Its reading is held
 * against the full check in page-scan.test.ts; here: the committed binary is the source's, and the
 * parts of the module page-scan.test.ts's small pages do not reach.
 */

const event = (seq: number, messageId: string): TrackingEvent => ({
  id: `0190a1b2-c3d4-7e5f-8a9b-${String(seq).padStart(12, '0')}`,
  seq,
  type: 'email.opened',
  messageId,
  recipientEmail: `r${seq}@kunde.example`,
  occurredAt: '2026-01-01T00:00:00.000Z',
  detail: {},
  client: { verdict: 'human', reasons: ['ua.browser'], ipPrefix: '203.0.113.0/24' },
});
const rowsPage = (messageOf: (k: number) => string, events: number): string =>
  JSON.stringify({
    rows: Array.from({ length: events }, (_, k) => wireRowOfEvent(event(k + 1, messageOf(k)))),
    messages: [],
    next: events,
  });

describe('page scanner (WebAssembly)', () => {
  it('is committed as its source compiles (npm run build:wasm)', async () => {
    expect(readFileSync(PAGE_SCAN_MODULE, 'utf8')).toBe(await buildPageScanModule());
  }, 60_000);

  it('gives each distinct messageId once, in order of first appearance, interleaved or not', () => {
    const layouts: ((k: number) => string)[] = [
      () => 'm-only',
      (k) => `m-${k % 7}`,
      (k) => `m-${Math.floor(k / 100)}`,
      (k) => `m-${k}`,
      // ids that differ only in their last byte, and ones that are prefixes of each other
      (k) => `m-${'x'.repeat(k % 5)}`,
    ];
    for (const messageOf of layouts) {
      const text = rowsPage(messageOf, 5000);
      const full = checkBulkPageParsed(text);
      if (!full.ok) throw new Error(full.error);
      const scanned = scanBulkPage(new Uint8Array(Buffer.from(text)));
      expect(scanned?.events).toBe(5000);
      expect(scanned?.messageIds).toEqual(full.value.messageIds);
    }
  });

  it('grows for a larger page and reads a small one after it exactly', () => {
    // ~14 MB: ten times a first sync's page, past the memory the scanner had so far
    const large = rowsPage((k) => `m-${k % 3}`, 50_000);
    expect(scanBulkPage(new Uint8Array(Buffer.from(large)))?.events).toBe(50_000);
    // the large page's bytes are still in memory after the small one: none of them may count
    const small = rowsPage(() => 'm-a', 2);
    expect(scanBulkPage(new Uint8Array(Buffer.from(small)))).toMatchObject({
      events: 2,
      messageIds: ['m-a'],
    });
    expect(scanBulkPage(new Uint8Array(Buffer.from(small.slice(0, -1))))).toBeNull();
    expect(scanBulkPage(new Uint8Array(0))).toBeNull();
  });
});
