import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Files of both programs are private to their user: folders 0700, files 0600. What they hold
 * (full IPs and legal evidence, token hashes, the CSRF key, contacts, mail passwords) is nobody
 * else's on a shared machine. Modes are set with chmod after creating, so they do not depend on
 * the umask of whoever started the process. Node only (fs); the renderer never imports this.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents) 0700. Folders that existed before are left as they are,
 * except `dir` itself when `own` says the folder is this program's (its data folder).
 */
export function makePrivateDir(dir: string, opts: { own?: boolean } = {}): void {
  const target = resolve(dir);
  const first = mkdirSync(target, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first !== undefined) {
    // every folder this call created, from the first one down to the target
    let p = resolve(first);
    chmodSync(p, PRIVATE_DIR_MODE);
    for (const part of relative(p, target).split(sep).filter(Boolean)) {
      p = `${p}${sep}${part}`;
      chmodSync(p, PRIVATE_DIR_MODE);
    }
  } else if (opts.own) {
    chmodSync(target, PRIVATE_DIR_MODE);
  }
}

/** 0600 for a file that exists (older versions created some 0644). */
export function makePrivateFile(file: string): void {
  if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * Before better-sqlite3 opens `file`: its folder exists, the database exists 0600, and -wal,
 * -shm and -journal left by older versions are 0600. SQLite creates its -wal, -shm and -journal
 * with the mode of the database file itself (os_unix.c, findCreateFileMode), so a 0600 database
 * gives 0600 companions whatever the umask.
 */
export function preparePrivateSqlite(file: string): void {
  if (file === ':memory:' || file === '') return;
  makePrivateDir(dirname(file));
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
  for (const suffix of ['-wal', '-shm', '-journal']) makePrivateFile(`${file}${suffix}`);
}
