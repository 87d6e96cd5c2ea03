import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  OfferEvidence,
  OfferFileUpload,
  OfferProperty,
  PublishOfferResponse,
  type OfferStatus,
} from '../../../src-shared/api';

/** a file of the offer: its bytes are in the offer's own folder under this hash */
export const OfferFileRef = OfferFileUpload.omit({ data: true }).extend({
  sha256: z.string(),
  size: z.number().int(),
});
export type OfferFileRef = z.infer<typeof OfferFileRef>;

export interface OfferRecord {
  activityId: string;
  propertyId: string;
  /** exactly what is published: later edits of the property do not change a sent offer */
  property: OfferProperty;
  files: OfferFileRef[];
  intro: string;
  /** the filled Widerrufsbelehrung (Markdown) the mail and the PDF carry */
  policy: string;
  legalVersion: number;
  published: PublishOfferResponse | null;
  publishedAt: string | null;
}

interface Row {
  activity_id: string;
  property_id: string;
  property: string;
  files: string;
  intro: string;
  policy: string;
  legal_version: number;
  offer_id: string | null;
  landing: string | null;
  published_at: string | null;
}

export function createOffersRepo(db: Database.Database) {
  const insert = db.prepare(`
    INSERT INTO offers (activity_id, property_id, property, files, intro, policy, legal_kind, legal_version)
    VALUES (@activityId, @propertyId, @property, @files, @intro, @policy, 'widerrufsbelehrung', @legalVersion)`);
  const get = db.prepare<[string], Row>('SELECT * FROM offers WHERE activity_id = ?');
  const publish = db.prepare(
    'UPDATE offers SET offer_id = @offerId, landing = @landing, published_at = @at WHERE activity_id = @activityId',
  );
  // the collector's publish answer already carries the status: a change is kept there, no new column
  const setStatus = db.prepare(
    "UPDATE offers SET landing = json_set(landing, '$.status', @status) WHERE activity_id = @activityId AND landing IS NOT NULL",
  );
  const saveEvidence = db.prepare(
    `INSERT INTO offer_evidence (activity_id, evidence, fetched_at) VALUES (?, ?, ?)
     ON CONFLICT (activity_id) DO UPDATE SET evidence = excluded.evidence, fetched_at = excluded.fetched_at`,
  );
  const getEvidence = db.prepare<[string], { evidence: string; fetched_at: string }>(
    'SELECT evidence, fetched_at FROM offer_evidence WHERE activity_id = ?',
  );
  const messageId = db.prepare<[string], { collector_message_id: string }>(
    'SELECT collector_message_id FROM activity_messages WHERE client_id = ?',
  );
  return {
    insert(o: Omit<OfferRecord, 'published' | 'publishedAt'>): void {
      insert.run({
        activityId: o.activityId,
        propertyId: o.propertyId,
        property: JSON.stringify(o.property),
        files: JSON.stringify(o.files),
        intro: o.intro,
        policy: o.policy,
        legalVersion: o.legalVersion,
      });
    },
    get(activityId: string): OfferRecord | null {
      const r = get.get(activityId);
      if (!r) return null;
      return {
        activityId: r.activity_id,
        propertyId: r.property_id,
        property: OfferProperty.parse(JSON.parse(r.property)),
        files: OfferFileRef.array().parse(JSON.parse(r.files)),
        intro: r.intro,
        policy: r.policy,
        legalVersion: r.legal_version,
        published: r.landing ? PublishOfferResponse.parse(JSON.parse(r.landing)) : null,
        publishedAt: r.published_at,
      };
    },
    markPublished(activityId: string, res: PublishOfferResponse, at: string): void {
      publish.run({ activityId, offerId: res.offerId, landing: JSON.stringify(res), at });
    },
    /** false when the offer is not published (nothing on the collector to change) */
    setStatus(activityId: string, status: OfferStatus): boolean {
      return setStatus.run({ activityId, status }).changes > 0;
    },
    /** the collector message the offer is published for (its main registration) */
    /** the collector's evidence list as it answered at `at`, kept for offline reading */
    saveEvidence(activityId: string, evidence: readonly OfferEvidence[], at: string): void {
      saveEvidence.run(activityId, JSON.stringify(evidence), at);
    },
    /** the last kept evidence list; null when none was kept or the stored copy does not parse */
    evidence(activityId: string): { evidence: OfferEvidence[]; fetchedAt: string } | null {
      const row = getEvidence.get(activityId);
      if (!row) return null;
      let raw: unknown;
      try {
        raw = JSON.parse(row.evidence);
      } catch {
        return null;
      }
      // read from disk: checked like an answer of the collector
      const parsed = z.array(OfferEvidence).safeParse(raw);
      return parsed.success ? { evidence: parsed.data, fetchedAt: row.fetched_at } : null;
    },
    collectorMessageId(activityId: string): string | null {
      return messageId.get(activityId)?.collector_message_id ?? null;
    },
  };
}
export type OffersRepo = ReturnType<typeof createOffersRepo>;
