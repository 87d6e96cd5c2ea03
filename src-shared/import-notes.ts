import type { Message, MessageKey } from './messages';

/** a note of the OpenImmo import report: its key, where it applies and its parameters (ipc.ts ImportNote) */
interface Note {
  key: string;
  path: string;
  params: Record<string, string | number>;
}

const NOTE_MESSAGES: Record<string, MessageKey> = {
  version_unknown: 'importNoteVersionUnknown',
  property_deleted: 'importNotePropertyDeleted',
  attachment_group_skipped: 'importNoteAttachmentGroupSkipped',
  link_invalid: 'importNoteLinkInvalid',
  link_limit: 'importNoteLinkLimit',
  attachment_no_file: 'importNoteAttachmentNoFile',
  file_missing: 'importNoteFileMissing',
  file_ambiguous: 'importNoteFileAmbiguous',
  file_rejected: 'importNoteFileRejected',
  description_truncated: 'importNoteDescriptionTruncated',
  energy_value_invalid: 'importNoteEnergyValueInvalid',
  energy_incomplete: 'importNoteEnergyIncomplete',
  energy_from_unit: 'importNoteEnergyFromUnit',
  unit_energy_differs: 'importNoteUnitEnergyDiffers',
  expose_duplicate: 'importNoteExposeDuplicate',
};

/** the note as the agent reads it (German and English in src-shared/i18n); where it applies is `path` */
export function importNoteMessage(n: Note): Message {
  const key = Object.prototype.hasOwnProperty.call(NOTE_MESSAGES, n.key) ? NOTE_MESSAGES[n.key] : undefined;
  return key
    ? { key, params: { ...n.params, path: n.path } }
    : { key: 'importNoteOther', params: { key: n.key, path: n.path } };
}
