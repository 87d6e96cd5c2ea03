import { expect, it } from 'vitest';
import { eventsPageBody } from '../../src-collector/routes/api';
import { nextOfPageText } from '../../src-main/core/sync/worker/fetcher';

/**
 * The sync's fetcher asks for page n+1 as soon as page n's text is here, reading `next` from the
 * text's tail before the page is checked (src-main/core/sync/worker/fetcher.ts). It must find it
 * in what the collector's pull route sends, with and without lastSeq, and nothing elsewhere.
 */
it('reads next from the tail of the page text the collector sends', () => {
  const events = Buffer.from('{"id":"e-1","seq":5},{"id":"e-2","seq":9,"detail":{"next":77}}');
  const body = (page: Omit<Parameters<typeof eventsPageBody>[0], 'eventCount'>): string =>
    eventsPageBody({ ...page, eventCount: page.events.length === 0 ? 0 : 2 }).toString('utf8');
  expect(nextOfPageText(body({ events, messages: [], next: 9, lastSeq: 12 }))).toBe(9);
  expect(nextOfPageText(body({ events, messages: [], next: 1234567 }))).toBe(1234567);
  expect(nextOfPageText(body({ events: Buffer.alloc(0), messages: [], next: 0, lastSeq: 0 }))).toBe(0);
  // not a page's tail: no guess (the fetcher then asks after the check, as before)
  expect(nextOfPageText('{"events":[],"next":"9"}')).toBeNull();
  expect(nextOfPageText('{"events":[{"next":5}],"messages":[]}')).toBeNull();
  expect(nextOfPageText('')).toBeNull();
});
