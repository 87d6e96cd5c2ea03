import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { msg } from '../../../src-shared/messages';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../../src-shared/private-fs';
import { err, ok, type Result } from '../../../src-shared/result';
import type { EvidenceFiles } from './export';

/**
 * Writes nachweis.json and nachweis.pdf into `dir` (the folder the agent named in the save
 * dialog), private like the app's data (full IPs). An earlier export is never overwritten: a
 * folder that already holds a nachweis.json gets the files in a numbered subfolder.
 */
export function writeEvidenceFolder(dir: string, files: EvidenceFiles): Result<{ path: string }> {
  try {
    let target = dir;
    for (
      let n = 2;
      existsSync(join(target, 'nachweis.json')) || existsSync(join(target, 'nachweis.pdf'));
      n++
    )
      target = join(dir, `${files.folderName} (${n})`);
    makePrivateDir(target);
    // 'wx': a file appearing between the check and the write is not replaced either
    writeFileSync(join(target, 'nachweis.json'), files.json, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    writeFileSync(join(target, 'nachweis.pdf'), files.pdf, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    return ok({ path: target });
  } catch (e) {
    return err({
      code: 'evidence_not_written',
      message: msg('evidenceExportNotWritten', { path: dir }),
      detail: e instanceof Error ? e.message : String(e),
    });
  }
}
