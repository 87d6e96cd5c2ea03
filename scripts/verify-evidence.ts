/**
 * npm run verify-evidence -- FILE.json [--key PEM_FILE]
 *
 * Checks a Nachweisakte (nachweis.json) offline: exit 0 and „gültig“ when every record's hash,
 * the chain links, the proofs up to the signed heads and all signatures hold; exit 1 naming the
 * first failing record otherwise; exit 2 on a usage error. Never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyEvidence, type VerifyFailureCode } from '../src-shared/evidence/verify';

const REASONS: Record<VerifyFailureCode, string> = {
  not_json: 'die Datei ist kein JSON (not JSON)',
  bad_format: 'die Datei hat nicht das Format blitz-nachweis/1 (wrong format)',
  bad_key: 'der Schlüssel der Datei ist unbrauchbar (bad key)',
  key_not_pinned: 'nicht mit dem angegebenen Schlüssel signiert (not signed with the pinned key)',
  bad_manifest_signature: 'die Liste der Datensätze ist nicht gültig signiert (record list signature invalid)',
  manifest_mismatch: 'Angaben der Datei weichen von der signierten Liste ab (file differs from the signed list)',
  record_format: 'Datensatz hat nicht das erwartete Format (record format)',
  record_hash: 'der Hash des Datensatzes stimmt nicht – er wurde verändert (record hash mismatch)',
  record_account: 'Datensatz gehört zu einem anderen Konto (record of another account)',
  record_order: 'Datensatz steht nicht an seinem Platz (record out of order)',
  record_missing: 'ein Datensatz fehlt vor dieser Stelle (a record is missing)',
  record_extra: 'Datensatz steht nicht in der signierten Liste (record not in the signed list)',
  not_in_segment: 'Datensatz ist nicht Teil der Kette (record not in the chain proof)',
  segment_broken: 'die Verkettung bis zum signierten Stand stimmt nicht (chain links broken)',
  head_signature: 'die Signatur des Kettenstands stimmt nicht (head signature invalid)',
  head_missing: 'zum Kettenstand fehlt die Signatur (signed head missing)',
  timestamp: 'der Zeitstempel passt nicht (timestamp mismatch)',
};

function main(): number {
  let values: { key?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { key: { type: 'string' } },
    }));
  } catch (e) {
    process.stderr.write(`Aufruf fehlerhaft (usage error): ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  if (positionals.length !== 1) {
    process.stderr.write('Aufruf: npm run verify-evidence -- nachweis.json [--key schluessel.pem]\n');
    return 2;
  }
  const file = positionals[0]!;
  let text: string;
  let pem: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
    pem = values.key === undefined ? undefined : readFileSync(values.key, 'utf8');
  } catch (e) {
    process.stdout.write(`ungültig: Datei nicht lesbar (unreadable): ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const r = verifyEvidence(text, pem);
  if (r.ok) {
    const v = r.value;
    process.stdout.write(
      `gültig: ${v.records} Datensätze zu ${v.email}, ${v.heads} signierte Kettenstände` +
        `${v.timestamps ? `, ${v.timestamps} Zeitstempel` : ''}, Schlüssel ${v.fingerprint} (valid)\n`,
    );
    return 0;
  }
  const f = r.error;
  const where =
    f.record === null ? 'Datei' : `Datensatz ${f.record}${f.position === null ? '' : ` (Kettenposition ${f.position})`}`;
  process.stdout.write(`ungültig: ${where}: ${REASONS[f.code]} — ${f.detail}\n`);
  return 1;
}

try {
  process.exitCode = main();
} catch (e) {
  process.stdout.write(`ungültig: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
