import type { ImportNote } from '../../../src-shared/ipc';

/**
 * German one-liners of the import report's notes for the log and the result's `warnings`; the
 * renderer translates the same keys itself (locales, `importReport.notes`).
 */
const TEXTS: Record<string, (p: ImportNote['params']) => string> = {
  version_unknown: (p) => `OpenImmo-Version ${p.version} ist nicht 1.2.x; Import nach bestem Wissen`,
  property_deleted: () => 'zum Löschen markiert (aktion DELETE), nicht importiert',
  attachment_group_skipped: (p) => `Anhang „${p.name}“ der Gruppe ${p.group} wird nicht übernommen`,
  link_invalid: (p) => `Link ohne gültige Adresse übersprungen (${p.url})`,
  link_limit: (p) => `mehr als 20 Links, ${p.url} nicht übernommen`,
  attachment_no_file: (p) => `Anhang „${p.name}“ ohne Datei (daten/pfad) übersprungen`,
  file_missing: (p) => `Datei „${p.file}“ wurde nicht mitgegeben`,
  file_ambiguous: (p) => `Datei „${p.file}“ gibt es mehrfach (${p.candidates}); keine übernommen`,
  file_rejected: (p) => `Datei „${p.file}“ abgelehnt (${p.code})`,
  description_truncated: (p) => `Beschreibung auf ${p.max} Zeichen gekürzt (${p.length})`,
  energy_value_invalid: (p) => `Energieausweis: Wert „${p.value}“ nicht lesbar, nicht übernommen`,
  energy_incomplete: (p) => `Energieausweis unvollständig, es fehlt: ${p.missing}`,
  energy_from_unit: () => 'Energieausweis des Projekts aus dieser Einheit übernommen',
  unit_energy_differs: () => 'Energieausweis der Einheit weicht vom Projekt ab und wurde nicht übernommen',
  expose_duplicate: (p) => `zweites Exposé „${p.name}“ nicht übernommen (ein Objekt hat ein Exposé)`,
};

export function germanNote(n: ImportNote): string {
  const f = TEXTS[n.key];
  return `${n.path}: ${f ? f(n.params) : n.key}`;
}
