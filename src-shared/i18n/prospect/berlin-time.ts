const WHEN = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/**
 * „06.12.2026, 09:14:03 Uhr“ in German time, to the second: when a prospect declared something,
 * as the landing page shows it and the confirmation mail repeats it (one function for both, so
 * the two never differ)
 */
export const berlinTimeDe = (iso: string): string => `${WHEN.format(new Date(iso))} Uhr`;
