import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src-main/core/i18n';
import { EVENT_TYPES } from '../../src-shared/events';
import { eventTextsEn } from '../../src-shared/i18n/events';
import { messagesDe } from '../../src-shared/i18n/messages-de';
import { messagesEn } from '../../src-shared/i18n/messages-en';
import { MESSAGE_KEYS, Message, msg } from '../../src-shared/messages';
import { de } from '../../src-renderer/locales/de';
import { en } from '../../src-renderer/locales/en';

/** umlauts, German quotes and words nearly every German sentence of the app uses */
const GERMAN =
  /[äöüÄÖÜß„‚]|\b(der|die|das|und|nicht|oder|mit|für|Sie|ist|wird|wurde|bitte|Bitte|ein|eine|zu|auf|von|den|dem|des)\b/;
/** German words that are names or content in English text too */
const ALLOWED = /Widerruf|objekttitel|daten\/pfad|aktion DELETE|anbieter|immobilie|openimmo/g;

function strings(o: unknown, path = ''): [string, string][] {
  if (typeof o === 'string') return [[path, o]];
  if (o && typeof o === 'object')
    return Object.entries(o).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

const tr = createTranslator();
const params = {
  host: 'mail.example.com',
  reasonRaw: 'Unclosed tag',
  size: '2 MB',
  ratio: 300,
  names: 'a.xml, b.xml',
  seconds: 120,
  server: 'SMTP',
  port: 587,
  status: 500,
  name: 'plan.pdf',
  mb: 10,
  folder: 'Sent',
  col: 3,
  line: 1,
  count: 2,
  max: 1,
  email: 'a@example.org',
  file: 'plan.pdf',
  id: 'X1',
  issues: 'title: too short',
  list: '[company]',
  path: '/openimmo',
  text: 'legacy',
  version: '1.3',
  who: 'a@example.org',
  // the XML reasons and import notes (m12)
  expected: 'a',
  found: 'b',
  openLine: 1,
  openCol: 2,
  tag: 'a',
  tags: '"a"',
  char: '<',
  url: 'https://example.org/x',
  group: 'BILD',
  candidates: 'a/x.png, b/x.png',
  code: 'bad_type',
  length: 9000,
  value: 'x',
  missingEn: 'year of construction',
  key: 'new_note',
};

describe('the message catalogue', () => {
  it('has an English text for every key, none of them German', () => {
    expect(Object.keys(messagesEn).sort()).toEqual(Object.keys(messagesDe).sort());
    for (const key of MESSAGE_KEYS) {
      const text = tr.message('en', msg(key, params)).replace(ALLOWED, '');
      expect(text, key).not.toMatch(GERMAN);
      expect(text, key).not.toMatch(/\{\{/);
    }
  });

  it('the English locale of the renderer has no German text', () => {
    for (const [path, text] of strings(en)) {
      // the Widerrufsbelehrung is the agent's German legal text, its name stays
      expect(text.replace(ALLOWED, ''), path).not.toMatch(GERMAN);
    }
    for (const type of EVENT_TYPES) expect(eventTextsEn.type[type]).not.toMatch(GERMAN);
  });

  it('calls the collector „Tracking-Server“ / "tracking server" in every user-facing text', () => {
    for (const [path, text] of [...strings(de), ...strings(messagesDe)])
      expect(text, path).not.toMatch(/Collector/i);
    for (const [path, text] of [...strings(en), ...strings(messagesEn)])
      expect(text, path).not.toMatch(/collector/i);
  });

  it('promises no automatic retry in a message: what happens next is the outbox state’s to say', () => {
    for (const [key, text] of Object.entries(messagesDe))
      expect(text, key).not.toMatch(/versucht es (automatisch|gleich)? ?erneut|wird später wiederholt/);
  });

  it('validates a message at the IPC boundary: known key, plain parameters', () => {
    expect(Message.safeParse({ key: 'smtpTimeout' }).success).toBe(true);
    expect(Message.safeParse({ key: 'testSmtpNoAuth', params: { host: 'x' } }).success).toBe(true);
    expect(Message.safeParse({ key: 'no such key' }).success).toBe(false);
    expect(Message.safeParse({ key: 'smtpTimeout', params: { x: { y: 1 } } }).success).toBe(false);
    expect(Message.safeParse('Der SMTP-Server antwortet nicht').success).toBe(false);
  });
});
