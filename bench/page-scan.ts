/**
 * A first sync's quick page check (src-main/core/sync/page-scan.ts) on pages of PULL_PAGE_SIZE
 * events of the rows shape, with one, 100 or every event's own message per page: the scan keeps
 * the page's distinct messageIds, and a page of an account with many single sends names
 * thousands. Baseline in the same run: JSON.parse of the same bytes (where the full check starts).
 * `npx tsx bench/page-scan.ts [rounds]`
 */
import { randomUUID } from 'node:crypto';
import { wireRowOfEvent } from '../src-shared/event-rows';
import type { TrackingEvent } from '../src-shared/events';
import { scanBulkPage } from '../src-main/core/sync/page-scan';
import { PULL_PAGE_SIZE } from '../src-main/core/sync/pull';
import { median } from './lib/stats';

const ROUNDS = Number(process.argv[2] ?? 30);

function page(messages: number): Buffer {
  const ids = Array.from({ length: messages }, () => randomUUID());
  const rows = Array.from({ length: PULL_PAGE_SIZE }, (_, i) => {
    const e: TrackingEvent = {
      id: randomUUID(),
      seq: i + 1,
      type: 'email.opened',
      messageId: ids[i % messages]!,
      recipientEmail: `r${i % 500}@bench.example`,
      occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      detail: {},
      client: {
        verdict: 'human',
        reasons: ['ua.browser'],
        ipPrefix: '203.0.113.0/24',
        uaFamily: 'Chrome',
        os: 'Windows',
      },
    };
    return wireRowOfEvent(e);
  });
  return Buffer.from(JSON.stringify({ rows, messages: [], next: PULL_PAGE_SIZE, lastSeq: PULL_PAGE_SIZE }));
}

const time = (fn: () => void): number => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

console.log(
  `| messages per page (${PULL_PAGE_SIZE} events) | scan, ms per page (median of ${ROUNDS}) | JSON.parse, ms | scan ÷ JSON.parse |`,
);
console.log('| --- | --- | --- | --- |');
for (const messages of [1, 100, PULL_PAGE_SIZE]) {
  const bytes = page(messages);
  const scan: number[] = [];
  const parse: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    scan.push(
      time(() => {
        const s = scanBulkPage(bytes);
        if (s?.messageIds.length !== messages)
          throw new Error(`scan: ${s?.messageIds.length} of ${messages} messages`);
      }),
    );
    parse.push(time(() => JSON.parse(bytes.toString('utf8'))));
  }
  const [s, p] = [median(scan), median(parse)];
  console.log(`| ${messages} | ${s.toFixed(1)} | ${p.toFixed(1)} | ${(s / p).toFixed(2)} |`);
}
