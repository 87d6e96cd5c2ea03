import { describe, expect, it } from 'vitest';
import type { EventType, TrackingEvent, Verdict } from '../../src-shared/events';
import { createNotificationPolicy, type AppliedEvent } from '../../src-main/core/notify/policy';
import { DEFAULT_NOTIFICATION_PREFS } from '../../src-main/core/settings';
import { createTranslator } from '../../src-main/core/i18n';

let n = 0;
function applied(
  type: EventType,
  at: string,
  opts: { verdict?: Verdict; person?: string | null; activityId?: string } = {},
): AppliedEvent {
  const person = opts.person === undefined ? 'Anna Beispiel' : opts.person;
  const event: TrackingEvent = {
    id: `e${++n}`,
    seq: n,
    type,
    messageId: 'm1',
    recipientEmail: person ? 'anna@kunde.example' : null,
    occurredAt: at,
    detail: type === 'email.link_clicked' ? { url: 'https://www.example.org/objekt/7' } : {},
    client: { verdict: opts.verdict ?? 'human', reasons: [] },
  };
  return { event, activityId: opts.activityId ?? 'a1', subject: 'Exposé Musterstraße 1', personName: person };
}
const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 10, min)).toISOString();
const WINDOW = 5 * 60_000;

describe('notification policy', () => {
  it('stays silent for history pulled at the first sync', () => {
    const p = createNotificationPolicy(WINDOW, createTranslator());
    expect(p.decide([applied('landing.expose_downloaded', at(0))], DEFAULT_NOTIFICATION_PREFS, true)).toEqual(
      [],
    );
  });

  it('notifies only verdicts that count as the person', () => {
    const p = createNotificationPolicy(WINDOW, createTranslator());
    const out = p.decide(
      (['prefetch', 'scanner', 'preview', 'self', 'proxy'] as const).map((v, i) =>
        applied('email.opened', at(i * 10), { verdict: v }),
      ),
      DEFAULT_NOTIFICATION_PREFS,
      false,
    );
    expect(out).toEqual([
      { activityId: 'a1', title: 'Anna Beispiel öffnete die E-Mail', body: 'Exposé Musterstraße 1' },
    ]);
  });

  it('coalesces a burst of opens into one notification, a later open notifies again', () => {
    const p = createNotificationPolicy(WINDOW, createTranslator());
    const first = p.decide(
      [applied('email.opened', at(0)), applied('email.opened', at(1)), applied('email.opened', at(3))],
      DEFAULT_NOTIFICATION_PREFS,
      false,
    );
    expect(first).toHaveLength(1);
    // the window is remembered across pulls
    expect(p.decide([applied('email.opened', at(4))], DEFAULT_NOTIFICATION_PREFS, false)).toEqual([]);
    expect(p.decide([applied('email.opened', at(30))], DEFAULT_NOTIFICATION_PREFS, false)).toHaveLength(1);
  });

  it('notifies an exposé download, a like and the Widerrufsbelehrung at once, every time', () => {
    const p = createNotificationPolicy(WINDOW, createTranslator());
    const out = p.decide(
      [
        applied('landing.expose_downloaded', at(0)),
        applied('landing.expose_downloaded', at(0)),
        applied('landing.unit_liked', at(0)),
        applied('landing.cancellation_policy_opened', at(1), { person: null }),
      ],
      DEFAULT_NOTIFICATION_PREFS,
      false,
    );
    expect(out.map((o) => o.title)).toEqual([
      'Anna Beispiel lud das Exposé herunter',
      'Anna Beispiel lud das Exposé herunter',
      'Anna Beispiel merkte sich eine Einheit',
      'Jemand öffnete die Widerrufsbelehrung',
    ]);
  });

  it('honours the master switch and per-type preferences', () => {
    const p = createNotificationPolicy(WINDOW, createTranslator());
    const off = { ...DEFAULT_NOTIFICATION_PREFS, enabled: false };
    expect(p.decide([applied('landing.expose_downloaded', at(0))], off, false)).toEqual([]);
    const noOpens = {
      ...DEFAULT_NOTIFICATION_PREFS,
      types: { ...DEFAULT_NOTIFICATION_PREFS.types, 'email.opened': false },
    };
    const out = p.decide(
      [applied('email.opened', at(0)), applied('email.link_clicked', at(0))],
      noOpens,
      false,
    );
    expect(out.map((o) => o.title)).toEqual(['Anna Beispiel öffnete den Link example.org/objekt/7']);
  });

  it('words notifications in the UI language: English without a German word', () => {
    const p = createNotificationPolicy(WINDOW, createTranslator());
    const out = p.decide(
      [
        applied('email.opened', at(0)),
        applied('landing.expose_downloaded', at(1), { person: null }),
        { ...applied('email.opened', at(2), { activityId: 'a2' }), subject: '  ' },
      ],
      DEFAULT_NOTIFICATION_PREFS,
      false,
      'en',
    );
    expect(out.map((o) => [o.title, o.body])).toEqual([
      ['Anna Beispiel opened the e-mail', 'Exposé Musterstraße 1'],
      ['Someone downloaded the exposé', 'Exposé Musterstraße 1'],
      ['Anna Beispiel opened the e-mail', '(no subject)'],
    ]);
  });
});
