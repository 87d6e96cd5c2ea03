import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../src-shared/private-fs';
import { SubjectEmail } from '../../src-shared/privacy';
import type { Store } from '../store/types';
import { renderSubjectPdf } from './pdf';
import { runRetention, type RetentionReport } from './retention';
import { eraseSubject, exportSubject } from './subject';

/** The `retention` and `subject export|erase` commands (src-collector/cli.ts, docs/privacy.md). */

export const PRIVACY_HELP = `  retention [--now ISO]
        deletes behavioural events older than the account's period (default 365 days) and
        erases contacts whose limitation period ended, except legal holds; prints
        {"now", "accounts", "deleted": {kind: count}, "expiredContacts", "keptByHold"}
  subject export --account ID --email ADDRESS --out DIR
        writes DIR/auskunft.json and DIR/auskunft.pdf (everything held about the address) and
        prints {"json": …, "pdf": …, "rows": {kind: count}}
  subject erase --account ID --email ADDRESS --reason TEXT
        removes the address and everything linked only to it unless a legal hold keeps it;
        prints {"erased": {kind: count}, "kept": [{kind, count, hold}]}
  hold set|lift --account ID --email ADDRESS [--reason TEXT]
        sets or lifts a legal hold (nothing about the address is deleted while it holds)`;

export class PrivacyCliError extends Error {}

async function needAccount(store: Store, accountId: string): Promise<void> {
  if (!(await store.getAccount(accountId)))
    throw new PrivacyCliError(`Konto ${accountId} gibt es nicht (no such account)`);
}

function address(email: string): string {
  const r = SubjectEmail.safeParse(email);
  if (!r.success) throw new PrivacyCliError(`keine gültige E-Mail-Adresse: ${email} (invalid address)`);
  return r.data;
}

export async function retentionCli(store: Store, now?: string): Promise<RetentionReport> {
  const at = now === undefined ? new Date() : new Date(now);
  if (Number.isNaN(at.getTime())) throw new PrivacyCliError(`--now ist keine Zeit (not an ISO time): ${now}`);
  return runRetention(store, at);
}

export async function subjectExportCli(
  store: Store,
  a: { accountId: string; email: string; out: string },
): Promise<{ json: string; pdf: string; rows: Record<string, number> }> {
  await needAccount(store, a.accountId);
  const x = await exportSubject(store, { accountId: a.accountId, email: address(a.email) });
  const dir = resolve(a.out);
  makePrivateDir(dir);
  const json = join(dir, 'auskunft.json');
  const pdf = join(dir, 'auskunft.pdf');
  writeFileSync(json, `${JSON.stringify(x, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
  writeFileSync(pdf, await renderSubjectPdf(x), { mode: PRIVATE_FILE_MODE });
  return { json, pdf, rows: Object.fromEntries(Object.entries(x.sections).map(([k, v]) => [k, v.length])) };
}

export async function subjectEraseCli(
  store: Store,
  a: { accountId: string; email: string; reason: string },
): Promise<{ erased: Record<string, number>; kept: { kind: string; count: number; hold: string }[] }> {
  await needAccount(store, a.accountId);
  const out = await eraseSubject(store, { accountId: a.accountId, email: address(a.email), reason: a.reason });
  return { erased: out.erased, kept: out.kept };
}

export async function holdCli(
  store: Store,
  a: { action: 'set' | 'lift'; accountId: string; email: string; reason?: string },
): Promise<Record<string, unknown>> {
  await needAccount(store, a.accountId);
  const email = address(a.email).toLowerCase();
  if (a.action === 'lift') return { lifted: await store.privacy.liftHold(a.accountId, email) };
  if (!a.reason || a.reason.trim().length < 3) throw new PrivacyCliError('--reason fehlt (missing --reason)');
  return { hold: await store.privacy.setHold(a.accountId, email, a.reason.trim(), 'cli', new Date()) };
}
