import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import postgres from 'postgres';
import { latestVersion } from '../../../src-shared/migrations';
import { ok, type Result, type TextError } from '../../../src-shared/result';
import { fail, newest, RESTORE_SEQ_GAP, type BackupSummary } from '../backup';
import { recordedVersions } from './migrate';
import { migrations } from './migrations';

/**
 * `backup` and `restore` of a PostgreSQL store (the command: src-collector/ops/backup.ts): a
 * pg_dump archive in custom format (the offers' files included, they live in the database),
 * restored only into an EMPTY database.
 */

const LABEL = 'collector database (PostgreSQL)';

/** pg_dump / pg_restore of the newest installed version (they must not be older than the server) */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const fromEnv = process.env.BLITZ_PG_BIN;
  if (fromEnv && existsSync(`${fromEnv}/${name}`)) return `${fromEnv}/${name}`;
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/${name}`))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return `/usr/lib/postgresql/${versions[0]}/bin/${name}`;
  } catch {
    // not Debian's layout: PATH below
  }
  return name;
}

/**
 * The URL for libpq (pg_dump, pg_restore): without the query parameters only postgres.js knows
 * (`max`, `search_path`); the schema comes back as `--schema`.
 */
export function libpqTarget(url: string): { url: string; schema: string | null } {
  const u = new URL(url);
  const schema = u.searchParams.get('search_path');
  for (const k of [...u.searchParams.keys()])
    if (k === 'max' || k === 'search_path') u.searchParams.delete(k);
  return { url: u.toString(), schema };
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', (e) => resolve({ code: -1, stderr: String(e) }));
    p.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** newest recorded version (the schema's offer versions of before issue 15 counted in) */
async function pgVersion(url: string): Promise<number | null> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    return newest(await recordedVersions(sql));
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export async function backupPostgres(url: string, out: string): Promise<Result<BackupSummary, TextError>> {
  const target = libpqTarget(url);
  let version: number | null;
  try {
    version = await pgVersion(url);
  } catch (e) {
    return fail(
      'postgres_not_available',
      'Die PostgreSQL-Datenbank ist nicht erreichbar (PostgreSQL database not reachable)',
      String(e),
    );
  }
  const tmp = `${out}.partial`;
  // one snapshot for the whole dump (pg_dump runs in one repeatable-read transaction): every
  // commit before it started is in, none after, across all tables, the evidence included
  const r = await run(pgTool('pg_dump'), [
    '--format=custom',
    '--no-owner',
    '--no-privileges',
    ...(target.schema ? [`--schema=${target.schema}`] : []),
    `--file=${tmp}`,
    `--dbname=${target.url}`,
  ]);
  if (r.code !== 0) {
    rmSync(tmp, { force: true });
    return fail('backup_failed', 'pg_dump ist fehlgeschlagen (pg_dump failed)', r.stderr.trim());
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, out);
  return ok({ kind: 'postgres', file: out, bytes: statSync(out).size, schemaVersion: version });
}

export async function restorePostgres(file: string, url: string): Promise<Result<BackupSummary, TextError>> {
  const target = libpqTarget(url);
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  let tables: number;
  try {
    // empty: no table in any schema of the database but the system's
    const [row] = await sql<{ n: number }[]>`
      SELECT COUNT(*)::int AS n FROM pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`;
    tables = row?.n ?? 0;
  } catch (e) {
    await sql.end({ timeout: 1 });
    return fail(
      'postgres_not_available',
      'Die PostgreSQL-Datenbank ist nicht erreichbar (PostgreSQL database not reachable)',
      String(e),
    );
  }
  await sql.end({ timeout: 1 });
  if (tables > 0)
    return fail(
      'restore_target_not_empty',
      `Die Zieldatenbank enthält schon ${tables} Tabellen; wiederhergestellt wird nur in eine leere Datenbank (target database is not empty: restore only into an empty one)`,
    );
  const r = await run(pgTool('pg_restore'), [
    '--no-owner',
    '--no-privileges',
    '--exit-on-error',
    '--single-transaction',
    `--dbname=${target.url}`,
    file,
  ]);
  if (r.code !== 0)
    return fail('restore_failed', 'pg_restore ist fehlgeschlagen (pg_restore failed)', r.stderr.trim());
  const version = await pgVersion(url).catch(() => null);
  const gap = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await gap`UPDATE account_seq SET last_seq = last_seq + ${RESTORE_SEQ_GAP}`;
  } catch (e) {
    return fail(
      'restore_failed',
      'Die Sequenzen konnten nicht vorgerückt werden (could not advance the sequences)',
      String(e),
    );
  } finally {
    await gap.end({ timeout: 1 });
  }
  const latest = latestVersion(LABEL, migrations);
  if (version !== null && version > latest)
    return fail(
      'backup_too_new',
      `Die Sicherung hat Schema ${version}, dieser Collector kennt nur ${latest}; sie ist eingespielt, aber dieser Collector startet darauf nicht (restored, but from a newer collector)`,
    );
  return ok({ kind: 'postgres', file, bytes: statSync(file).size, schemaVersion: version });
}
