import type { Locator } from '@playwright/test';

/** umlauts, German quotes and words every German sentence of the app uses (as english.spec.ts) */
export const GERMAN =
  /[äöüÄÖÜß„‚]|\b(der|die|das|und|nicht|oder|mit|für|Sie|ist|wird|wurde|bitte|Bitte|eine?n?|zu|auf|von|den|dem|des|fehlt|Datei|Zeile|Spalte|Anhang|Energieausweis|Gesendet|Einstellungen|Empfänger|Nachricht|Anmeldung|öffnete|Aktivität(en)?)\b/g;

/** every German-looking word in the elements' visible text, with a little context */
export async function germanIn(l: Locator): Promise<string[]> {
  const text = (await l.allInnerTexts()).join('\n');
  const hits: string[] = [];
  for (const m of text.matchAll(GERMAN)) {
    const at = m.index ?? 0;
    hits.push(text.slice(Math.max(0, at - 30), at + 30).replace(/\s+/g, ' '));
  }
  return hits;
}
