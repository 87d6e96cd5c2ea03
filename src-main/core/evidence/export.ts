import { msg } from '../../../src-shared/messages';
import { EvidenceFile } from '../../../src-shared/evidence/format';
import { verifyEvidence } from '../../../src-shared/evidence/verify';
import type {
  EvidenceExportDto,
  EvidenceExportInput,
  EvidenceSaved,
} from '../../../src-shared/evidence-export';
import { err, ok, type AppError, type Result } from '../../../src-shared/result';
import type { Cache } from '../cache';
import { uiLanguage } from '../settings';
import type { CollectorClient } from '../collector/client';
import type { CollectorError } from '../collector/errors';

/** nachweis.json and nachweis.pdf as the collector sent them, for the adapter to store */
export interface EvidenceFiles {
  /** a folder name that says whose evidence it is and when it was taken, e.g. „Nachweis max@… 2026-12-06 1402“ („Evidence …“ with the English UI) */
  folderName: string;
  json: Buffer;
  pdf: Buffer;
}

/**
 * Where the files go: the Electron shell asks for a folder and writes them there (null when the
 * agent cancels the dialog); without it (the browser host) they go back to the renderer as downloads.
 */
export type SaveEvidence = (files: EvidenceFiles) => Promise<Result<{ path: string } | null>>;

export interface EvidenceExportDeps {
  cache: Cache;
  client(): CollectorClient | null;
  save?: SaveEvidence;
  now?: () => Date;
}

/** what the collector's refusal means for this export, said in the agent's words */
function collectorFailure(e: CollectorError): AppError {
  if (e.code === 'collector_unreachable') return { ...e, message: msg('evidenceExportUnreachable') };
  if (e.status === 404) return { ...e, message: msg('evidenceExportUnknownOffer') };
  if (e.transient) return { ...e, message: msg('evidenceExportBusy') };
  return e;
}

function stamp(d: Date): string {
  // local wall time of the desktop: the folder name is for the agent's eyes, the files hold UTC
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}${p(d.getMinutes())}`;
}

/** characters no file system of the agent's accepts in a folder name */
function safeFolderName(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  return s.replace(/[<>:"/\\|?*\x00-\x1f]/g, '_').slice(0, 120);
}

/**
 * „Nachweis exportieren“ for one recipient of an activity: asks the collector (the records live
 * only there, visible as the activity's events are), refuses a file that does not verify or holds
 * nothing, then stores it through the adapter.
 */
export async function exportEvidence(
  deps: EvidenceExportDeps,
  input: EvidenceExportInput,
): Promise<Result<EvidenceExportDto>> {
  const activity = deps.cache.activities.get(input.activityId);
  if (!activity)
    return err({ code: 'not_found', message: msg('activityNotFound'), detail: input.activityId });
  const recipient = activity.recipients.find((r) => r.email.toLowerCase() === input.email.toLowerCase());
  // the address comes from the page: only a recipient of this activity is asked about
  if (!recipient)
    return err({
      code: 'not_a_recipient',
      message: msg('evidenceExportNotRecipient', { email: input.email }),
      detail: `${input.email} ∉ ${input.activityId}`,
    });
  let offerId: string | null = null;
  if (activity.kind === 'offer') {
    offerId = deps.cache.offers.get(activity.id)?.published?.offerId ?? null;
    if (!offerId)
      return err({ code: 'offer_not_published', message: msg('offerNotPublished'), detail: activity.id });
  }
  const client = deps.client();
  if (!client) return err({ code: 'collector_not_configured', message: msg('collectorNotConfigured') });

  const json = await client.evidence(recipient.email, offerId, 'json');
  if (!json.ok) return err(collectorFailure(json.error));
  const text = json.value.toString('utf8');
  // the client checked the format already; parsed here for the counts, not for saving
  const file = EvidenceFile.safeParse(JSON.parse(text));
  if (!file.success)
    return err({
      code: 'evidence_invalid',
      message: msg('evidenceExportInvalid'),
      detail: file.error.message,
    });
  if (file.data.records.length === 0)
    return err({
      code: 'evidence_empty',
      message: msg('evidenceExportNoRecords', { email: recipient.email }),
    });
  const checked = verifyEvidence(text);
  if (!checked.ok)
    return err({
      code: 'evidence_invalid',
      message: msg('evidenceExportInvalid'),
      detail: `${checked.error.code} record ${checked.error.record ?? '-'}: ${checked.error.detail}`,
    });
  const pdf = await client.evidence(recipient.email, offerId, 'pdf');
  if (!pdf.ok) return err(collectorFailure(pdf.error));

  const signedHead = file.data.heads.reduce((m, h) => Math.max(m, h.head.position), 0);
  const folderName = safeFolderName(
    `${uiLanguage(deps.cache) === 'en' ? 'Evidence' : 'Nachweis'} ${recipient.email} ${stamp((deps.now ?? (() => new Date()))())}`,
  );
  let saved: EvidenceSaved;
  if (deps.save) {
    const r = await deps.save({ folderName, json: json.value, pdf: pdf.value });
    if (!r.ok) return r;
    saved = r.value ? { kind: 'folder', path: r.value.path } : { kind: 'cancelled' };
  } else {
    saved = {
      kind: 'download',
      folderName,
      files: [
        { name: 'nachweis.json', mime: 'application/json', base64: json.value.toString('base64') },
        { name: 'nachweis.pdf', mime: 'application/pdf', base64: pdf.value.toString('base64') },
      ],
    };
  }
  return ok({
    email: recipient.email,
    offerId,
    records: checked.value.records,
    keyFingerprint: checked.value.fingerprint,
    signedHead,
    saved,
  });
}
