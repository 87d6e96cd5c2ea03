import { z } from 'zod';

/** The format of nachweis.json (docs/evidence.md). Version 1. */
export const EVIDENCE_FORMAT = 'blitz-nachweis/1';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');
const position = z.number().int().positive();

export const RECORD_KINDS = ['message', 'event', 'offer', 'legal_confirmation', 'consent'] as const;
export const RecordKind = z.enum(RECORD_KINDS);
export type RecordKind = z.infer<typeof RecordKind>;

/**
 * One chained record: what was hashed. `data` is the fact itself (an event in its wire form, a
 * message registration, an offer as published, a legal confirmation with its full IP).
 */
export const ChainRecord = z.object({
  v: z.literal(1),
  account: z.string().min(1),
  kind: RecordKind,
  /** unique per account: the source and, for events, the revision (event id @ seq) */
  ref: z.string().min(1),
  /** when the fact happened (ISO 8601, UTC) */
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type ChainRecord = z.infer<typeof ChainRecord>;

/** What the collector signs: the account's chain up to `position` ends in `link`. */
export const SignedHeadBody = z.object({
  v: z.literal(1),
  account: z.string().min(1),
  position,
  link: hex64,
  signedAt: z.string(),
  keyFingerprint: z.string(),
});
export type SignedHeadBody = z.infer<typeof SignedHeadBody>;

export const HeadTimestamp = z.object({
  /** the RFC 3161 timestamp authority asked */
  tsa: z.string(),
  /** the DER TimeStampResp, base64; its message imprint is SHA-256(canonical head) */
  response: z.string().min(1),
});
export type HeadTimestamp = z.infer<typeof HeadTimestamp>;

export const SignedHead = z.object({
  head: SignedHeadBody,
  /** Ed25519 over the UTF-8 canonical JSON of `head`, base64 */
  signature: z.string().min(1),
  timestamp: HeadTimestamp.optional(),
});
export type SignedHead = z.infer<typeof SignedHead>;

/** A run of consecutive record hashes, from position `from` up to the signed head at `head`. */
export const ChainSegment = z.object({
  from: position,
  /** the link before `from` (GENESIS_LINK for position 1) */
  previousLink: hex64,
  recordHashes: z.array(hex64).min(1),
  head: position,
});
export type ChainSegment = z.infer<typeof ChainSegment>;

export const ExportedRecord = z.object({
  position,
  recordHash: hex64,
  /** index into `segments` */
  segment: z.number().int().nonnegative(),
  record: z.unknown(),
});
export type ExportedRecord = z.infer<typeof ExportedRecord>;

/** Signed by the collector at export time: which records this file holds, in order. */
export const ExportManifest = z.object({
  v: z.literal(1),
  format: z.literal(EVIDENCE_FORMAT),
  account: z.string(),
  email: z.string(),
  offerId: z.string().nullable(),
  exportedAt: z.string(),
  keyFingerprint: z.string(),
  records: z.array(z.object({ position, recordHash: hex64 })),
});
export type ExportManifest = z.infer<typeof ExportManifest>;

export const EvidenceKey = z.object({
  algorithm: z.literal('Ed25519'),
  publicKeyPem: z.string().min(1),
  fingerprint: z.string(),
});
export type EvidenceKey = z.infer<typeof EvidenceKey>;

export const EvidenceFile = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  account: z.string(),
  email: z.string(),
  offerId: z.string().nullable(),
  exportedAt: z.string(),
  key: EvidenceKey,
  records: z.array(ExportedRecord),
  segments: z.array(ChainSegment),
  heads: z.array(SignedHead),
  manifest: ExportManifest,
  /** Ed25519 over the UTF-8 canonical JSON of `manifest`, base64 */
  manifestSignature: z.string().min(1),
});
export type EvidenceFile = z.infer<typeof EvidenceFile>;
