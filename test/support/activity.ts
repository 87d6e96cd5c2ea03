import type { NewActivity } from '../../src-main/core/cache';

/**
 * A sent e-mail activity for cache tests: `act-i`, sent i minutes after 2026-01-01 to
 * kunde{i}@beispiel.de („Kundin i“); `over` changes what a test is about.
 */
export function testActivity(i: number, over: Partial<NewActivity> = {}): NewActivity {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return {
    id: `act-${i}`,
    kind: 'email',
    subject: `Aktivität ${i}`,
    html: null,
    text: null,
    trackRequested: true,
    tracked: true,
    sentIndividually: true,
    messageId: `<act-${i}@test>`,
    createdAt: at,
    sentAt: at,
    fromOtherDevice: false,
    recipients: [{ kind: 'to', email: `kunde${i}@beispiel.de`, name: `Kundin ${i}` }],
    attachments: [],
    ...over,
  };
}
