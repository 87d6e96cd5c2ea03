import { describe, expect, it } from 'vitest';
import type { TrackingEvent } from '../../src-shared/events';
import { buildFeed } from '../../src-main/core/feed/build';
import { createTranslator } from '../../src-main/core/i18n';
import { msg } from '../../src-shared/messages';
import type { SentenceInput } from '../../src-shared/i18n/events';

const APPLE_PREFETCH_SUMMARY = msg('feedApplePrefetch');
const tr = createTranslator();
const eventText = (
  type: SentenceInput['type'],
  person: string | null,
  detail: SentenceInput['detail'],
  lang: 'de' | 'en' = 'de',
) => tr.eventSentence(lang, { type, personName: person, recipientEmail: null, detail });

const recipients = [
  { kind: 'to' as const, email: 'anna@kunde.example', name: 'Anna Beispiel' },
  { kind: 'cc' as const, email: 'bert@kunde.example', name: null },
];
function ev(
  id: string,
  type: TrackingEvent['type'],
  at: string,
  client: TrackingEvent['client'],
  email: string | null = 'anna@kunde.example',
): { localId: number; event: TrackingEvent } {
  return {
    localId: Number(id.slice(1)),
    event: {
      id,
      seq: Number(id.slice(1)),
      type,
      messageId: 'm',
      recipientEmail: email,
      occurredAt: at,
      detail: {},
      client,
    },
  };
}
const apple = { verdict: 'prefetch' as const, reasons: ['ip.apple_mpp', 'timing.soon_after_send'] };

describe('feed texts', () => {
  it('speaks German as in DESIGN.md', () => {
    expect(eventText('email.opened', 'Anna Beispiel', {})).toBe('Anna Beispiel öffnete die E-Mail');
    expect(eventText('email.opened', null, {})).toBe('Jemand öffnete die E-Mail');
    expect(eventText('email.link_clicked', null, { url: 'https://www.example.org/objekt/1?utm=x' })).toBe(
      'Jemand öffnete den Link example.org/objekt/1',
    );
    expect(eventText('landing.document_downloaded', 'Anna', { document: 'Grundriss EG.pdf' })).toBe(
      'Anna lud ‚Grundriss EG.pdf‘ herunter',
    );
    expect(eventText('landing.unit_liked', 'Anna', { unit: 'WE 3' })).toBe('Anna merkte sich Einheit WE 3');
    expect(eventText('landing.expose_downloaded', 'Anna', {})).toBe('Anna lud das Exposé herunter');
    expect(eventText('landing.cancellation_policy_opened', 'Anna', {})).toBe(
      'Anna öffnete die Widerrufsbelehrung',
    );
    expect(eventText('landing.visited', 'Anna', {})).toBe('Anna besuchte die Landing Page');
    expect(eventText('landing.unit_liked', 'Anna', {})).toBe('Anna merkte sich eine Einheit');
    expect(eventText('email.link_clicked', null, { url: 'https://example.org' }, 'en')).toBe(
      'Someone opened the link example.org',
    );
    expect(tr.message('en', APPLE_PREFETCH_SUMMARY)).toBe(
      'delivered to Apple Mail – opening cannot be determined',
    );
  });

  it('never names the person for the hidden control link', () => {
    expect(eventText('email.link_clicked', 'Anna Beispiel', { honeypot: true })).toBe(
      'Ein automatischer Prüfer folgte dem versteckten Kontroll-Link',
    );
  });
});

describe('feed building', () => {
  it('orders by time, names the person (name, else e-mail, null for a shared tracker) and marks new ones', () => {
    const feed = buildFeed(
      'a',
      [
        ev('e3', 'email.opened', '2026-01-01T10:05:00Z', { verdict: 'human', reasons: [] }, null),
        ev('e1', 'email.opened', '2026-01-01T10:00:00Z', { verdict: 'human', reasons: [] }),
        ev(
          'e2',
          'email.opened',
          '2026-01-01T10:01:00Z',
          { verdict: 'scanner', reasons: ['ua.script'], correctedFrom: 'human' },
          'bert@kunde.example',
        ),
      ],
      recipients,
      1,
    );
    expect(feed.items.map((i) => [i.eventId, i.personName, i.isNew, i.corrected])).toEqual([
      ['e1', 'Anna Beispiel', false, false],
      ['e2', 'bert@kunde.example', false, true],
      ['e3', null, true, false],
    ]);
    expect(feed.summary).toBeNull();
  });

  it('says „zugestellt an Apple Mail – Öffnen nicht feststellbar“ when Apple prefetches are the only opens', () => {
    const only = buildFeed('a', [ev('e1', 'email.opened', '2026-01-01T10:00:00Z', apple)], recipients, 0);
    expect(only.summary).toEqual(APPLE_PREFETCH_SUMMARY);
    const uaRule = buildFeed(
      'a',
      [
        ev('e1', 'email.opened', '2026-01-01T10:00:00Z', {
          verdict: 'prefetch',
          reasons: ['ua.apple_mail_proxy'],
        }),
      ],
      recipients,
      0,
    );
    expect(uaRule.summary).toEqual(APPLE_PREFETCH_SUMMARY);
    const otherPrefetch = buildFeed(
      'a',
      [
        ev('e1', 'email.opened', '2026-01-01T10:00:00Z', {
          verdict: 'prefetch',
          reasons: ['ua.bare_mozilla'],
        }),
      ],
      recipients,
      0,
    );
    expect(otherPrefetch.summary).toBeNull();
  });

  it('a click or landing visit by the person counts as an open', () => {
    const clicked = buildFeed(
      'a',
      [
        ev('e1', 'email.opened', '2026-01-01T10:00:00Z', apple),
        ev('e2', 'landing.visited', '2026-01-01T11:00:00Z', { verdict: 'human', reasons: [] }),
      ],
      recipients,
      0,
    );
    expect(clicked.summary).toBeNull();
  });
});
