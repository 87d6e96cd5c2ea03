import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../src-main/core/cache';
import { createCollectorClient } from '../../../src-main/core/collector/client';
import { exportEvidence, type EvidenceFiles } from '../../../src-main/core/evidence/export';
import { writeEvidenceFolder } from '../../../src-main/core/evidence/save-folder';
import { KEYS } from '../../../src-main/core/settings';
import { verifyEvidence } from '../../../src-shared/evidence/verify';
import { startTestCollector, type TestCollector } from '../../support/collector';
import { freePort } from '../../support/mail-servers';
import { tempDir } from '../helpers';

/**
 * Issue 16 on the desktop: the core's „Nachweis exportieren“ against a real collector — the
 * Nachweisakte of a recipient comes back verified and byte for byte, is written privately into
 * the folder the agent picked (an earlier export there is never overwritten), and every failure is
 * a German message key: not a recipient, nothing recorded yet, collector unreachable.
 */
let col: TestCollector;
let cache: Cache;
const activityId = randomUUID();

beforeAll(async () => {
  col = await startTestCollector();
  cache = openCache(join(tempDir(), 'cache.db'));
  const agent = createCollectorClient({ baseUrl: col.url, token: col.agentToken });
  const r = await agent.registerMessage({
    clientId: activityId,
    subject: 'Exposé Birkenweg 4',
    sentIndividually: true,
    recipients: [{ email: 'jonas@kunde.example', name: 'Jonas Beispiel' }],
    links: ['https://www.example.org/expose'],
  });
  if (!r.ok) throw new Error(r.error.detail);
  // the desktop's cache: the activity with one recipient the collector knows and one it does not
  cache.activities.insert({
    id: activityId,
    kind: 'email',
    subject: 'Exposé Birkenweg 4',
    html: null,
    text: 'Anbei das Exposé.',
    trackRequested: true,
    tracked: true,
    sentIndividually: true,
    messageId: `<${activityId}@makler.example>`,
    createdAt: new Date().toISOString(),
    sentAt: new Date().toISOString(),
    fromOtherDevice: false,
    recipients: [
      { kind: 'to', email: 'jonas@kunde.example', name: 'Jonas Beispiel' },
      { kind: 'to', email: 'nie-erfasst@kunde.example', name: null },
    ],
    attachments: [],
  });
}, 60_000);
afterAll(async () => {
  cache?.close();
  await col?.close();
});

const client = () => createCollectorClient({ baseUrl: col.url, token: col.agentToken });

describe('exportEvidence', () => {
  it('without a save seam: both files as downloads, the JSON exactly as the collector sent it and valid', async () => {
    const r = await exportEvidence({ cache, client }, { activityId, email: 'JONAS@kunde.example' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.email).toBe('jonas@kunde.example');
    expect(r.value.offerId).toBeNull();
    expect(r.value.records).toBeGreaterThanOrEqual(1);
    expect(r.value.signedHead).toBeGreaterThanOrEqual(1);
    if (r.value.saved.kind !== 'download') throw new Error(r.value.saved.kind);
    expect(r.value.saved.files.map((f) => f.name)).toEqual(['nachweis.json', 'nachweis.pdf']);
    const json = Buffer.from(r.value.saved.files[0]!.base64, 'base64').toString('utf8');
    const v = verifyEvidence(json);
    expect(v.ok && v.value.records).toBe(r.value.records);
    expect(v.ok && v.value.fingerprint).toBe(r.value.keyFingerprint);
    expect(Buffer.from(r.value.saved.files[1]!.base64, 'base64').subarray(0, 5).toString('latin1')).toBe(
      '%PDF-',
    );
    expect(r.value.saved.folderName).toMatch(/^Nachweis jonas@kunde\.example \d{4}-\d\d-\d\d \d{4}$/);
  });

  it('with the English UI the suggested folder is named „Evidence …“ (the files keep their documented names)', async () => {
    cache.meta.set(KEYS.language, 'en');
    try {
      const r = await exportEvidence({ cache, client }, { activityId, email: 'jonas@kunde.example' });
      if (!r.ok || r.value.saved.kind !== 'download') throw new Error(JSON.stringify(r));
      expect(r.value.saved.folderName).toMatch(/^Evidence jonas@kunde\.example \d{4}-\d\d-\d\d \d{4}$/);
      expect(r.value.saved.files.map((f) => f.name)).toEqual(['nachweis.json', 'nachweis.pdf']);
    } finally {
      cache.meta.set(KEYS.language, 'de');
    }
  });

  it('with the shell’s seam: written privately into the picked folder; a second export never overwrites the first', async () => {
    const dir = join(tempDir(), 'Nachweis Jonas');
    const seen: EvidenceFiles[] = [];
    const save = async (files: EvidenceFiles) => {
      seen.push(files);
      return writeEvidenceFolder(dir, files);
    };
    const first = await exportEvidence({ cache, client, save }, { activityId, email: 'jonas@kunde.example' });
    if (!first.ok || first.value.saved.kind !== 'folder') throw new Error(JSON.stringify(first));
    expect(first.value.saved.path).toBe(dir);
    const jsonFile = join(dir, 'nachweis.json');
    expect(readFileSync(jsonFile)).toEqual(seen[0]!.json);
    expect(statSync(jsonFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nachweis.pdf')).mode & 0o777).toBe(0o600);
    const before = readFileSync(jsonFile);

    const second = await exportEvidence(
      { cache, client, save },
      { activityId, email: 'jonas@kunde.example' },
    );
    if (!second.ok || second.value.saved.kind !== 'folder') throw new Error(JSON.stringify(second));
    expect(second.value.saved.path).not.toBe(dir);
    expect(second.value.saved.path.startsWith(dir)).toBe(true);
    expect(existsSync(join(second.value.saved.path, 'nachweis.pdf'))).toBe(true);
    expect(readFileSync(jsonFile)).toEqual(before);

    // the agent closed the dialog: nothing written, no error
    const cancelled = await exportEvidence(
      { cache, client, save: async () => ({ ok: true, value: null }) },
      { activityId, email: 'jonas@kunde.example' },
    );
    expect(cancelled.ok && cancelled.value.saved.kind).toBe('cancelled');
  });

  it('a recipient the collector has nothing about: „noch keine Datensätze“', async () => {
    const r = await exportEvidence({ cache, client }, { activityId, email: 'nie-erfasst@kunde.example' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('evidence_empty');
    expect(r.error.message).toEqual({
      key: 'evidenceExportNoRecords',
      params: { email: 'nie-erfasst@kunde.example' },
    });
  });

  it('an address that is no recipient of the activity is not asked about', async () => {
    const r = await exportEvidence({ cache, client }, { activityId, email: 'fremd@kunde.example' });
    expect(!r.ok && r.error.code).toBe('not_a_recipient');
  });

  it('the collector unreachable: its own message, nothing saved', async () => {
    let saved = false;
    const down = createCollectorClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      token: col.agentToken,
    });
    const r = await exportEvidence(
      {
        cache,
        client: () => down,
        save: async () => {
          saved = true;
          return { ok: true, value: null };
        },
      },
      { activityId, email: 'jonas@kunde.example' },
    );
    expect(!r.ok && r.error.message.key).toBe('evidenceExportUnreachable');
    expect(saved).toBe(false);
  });

  it('no collector configured', async () => {
    const r = await exportEvidence(
      { cache, client: () => null },
      { activityId, email: 'jonas@kunde.example' },
    );
    expect(!r.ok && r.error.code).toBe('collector_not_configured');
  });
});
