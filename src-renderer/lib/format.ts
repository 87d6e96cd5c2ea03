import type { TFunction } from 'i18next';
import type { ActivityDto, FeedItemDto } from '../../src-shared/ipc';
import { countsAsPerson } from '../../src-shared/verdicts';
import { eventSentence, shortUrl } from '../../src-shared/i18n/events';

const TZ = 'Europe/Berlin';
const exactCache = new Map<string, Intl.DateTimeFormat>();
const relCache = new Map<string, Intl.RelativeTimeFormat>();

function locale(lang: string): string {
  return lang === 'en' ? 'en-GB' : 'de-DE';
}

/** „29.11.2026, 14:05“ in Berlin time, whatever the computer's zone. */
export function exactTime(iso: string, lang: string): string {
  const key = `exact:${lang}`;
  let f = exactCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale(lang), { timeZone: TZ, dateStyle: 'medium', timeStyle: 'short' });
    exactCache.set(key, f);
  }
  return f.format(new Date(iso));
}

/** „29.11.2026, 14:05:33 MEZ“: evidence is read to the second, and with the zone it was read in. */
export function evidenceTime(iso: string, lang: string): string {
  const key = `evidence:${lang}`;
  let f = exactCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale(lang), {
      timeZone: TZ,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    });
    exactCache.set(key, f);
  }
  return f.format(new Date(iso));
}

/** Short date for list rows: time today, weekday+time this week, date otherwise. */
export function shortTime(iso: string, lang: string, now: number): string {
  const d = new Date(iso);
  const ageDays = (now - d.getTime()) / 86_400_000;
  const key = `short:${lang}:${ageDays < 1 ? 't' : ageDays < 6 ? 'w' : 'd'}`;
  let f = exactCache.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      ageDays < 1
        ? { timeZone: TZ, hour: '2-digit', minute: '2-digit' }
        : ageDays < 6
          ? { timeZone: TZ, weekday: 'short', hour: '2-digit', minute: '2-digit' }
          : { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' };
    f = new Intl.DateTimeFormat(locale(lang), opts);
    exactCache.set(key, f);
  }
  return f.format(d);
}

/** „vor 5 Minuten“, „gestern“ … */
export function relativeTime(iso: string, lang: string, now: number): string {
  let f = relCache.get(lang);
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale(lang), { numeric: 'auto' });
    relCache.set(lang, f);
  }
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return f.format(0, 'second');
  if (abs < 3600) return f.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return f.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return f.format(Math.round(seconds / 86_400), 'day');
  if (abs < 365 * 86_400) return f.format(Math.round(seconds / (30 * 86_400)), 'month');
  return f.format(Math.round(seconds / (365 * 86_400)), 'year');
}

export { shortUrl };

/** the feed's sentence, from the texts the core's notifications use too */
export function feedText(item: FeedItemDto, t: TFunction): string {
  return eventSentence((key, options) => t(key, options ?? {}), item);
}

/**
 * The reason labels per language: `returnObjects` translates every label of the map again on each
 * call, and each feed item asked for it on each render (a tenth of a feed switch's script time in
 * `npm run profile:ui`).
 */
const reasonMaps = new Map<string, Record<string, unknown> | null>();

/** Reason codes contain dots, so they are looked up in the map as a whole, not as i18next key paths. */
export function reasonLabel(reasons: readonly string[], t: TFunction): string | null {
  if (reasons.length === 0) return null;
  // i18next's fixed t carries its language; without one the map is read uncached
  const lng = (t as unknown as { lng?: unknown }).lng;
  let labels = typeof lng === 'string' ? reasonMaps.get(lng) : undefined;
  if (labels === undefined) {
    const map: unknown = t('feed.reason', { returnObjects: true });
    labels = typeof map === 'object' && map !== null ? (map as Record<string, unknown>) : null;
    if (typeof lng === 'string') reasonMaps.set(lng, labels);
  }
  if (!labels) return null;
  for (const r of reasons) {
    const label = labels[r];
    if (typeof label === 'string') return label;
  }
  return null;
}

/** The quiet marker under an event: nothing for a plain human verdict. */
export function verdictMarker(item: FeedItemDto, t: TFunction): string | null {
  const reason = reasonLabel(item.reasons, t);
  if (item.verdict === 'human') return null;
  if (item.verdict === 'self') return t('feed.self');
  if (countsAsPerson(item.verdict)) return reason ? t('feed.viaProxy', { reason }) : null;
  return reason ? t('feed.automaticWith', { reason }) : t('feed.automatic');
}

export function isMachine(item: FeedItemDto): boolean {
  return !countsAsPerson(item.verdict);
}

export function recipientSummary(a: ActivityDto, max = 2): { shown: string; more: number } {
  const names = a.recipients.filter((r) => r.kind !== 'bcc').map((r) => r.name ?? r.email);
  const all = names.length > 0 ? names : a.recipients.map((r) => r.name ?? r.email);
  return { shown: all.slice(0, max).join(', '), more: Math.max(0, all.length - max) };
}

export const EMAIL_RE = /^[^\s@<>(),;:]+@[^\s@<>(),;:]+\.[^\s@<>(),;:]{2,}$/;
