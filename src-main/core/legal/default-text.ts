import { msg } from '../../../src-shared/messages';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { err, ok, type Result } from '../../../src-shared/result';

const RELATIVE = join('resources', 'legal', 'widerrufsbelehrung.md');

/**
 * The default Widerrufsbelehrung (resources/legal/widerrufsbelehrung.md, the one place its
 * wording lives). Looked up from this module upwards (source tree, tsx, vitest, electron-vite's
 * out/main) and in Electron's resources folder of a packaged app.
 */
export function loadDefaultWiderruf(): Result<string> {
  const candidates: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, RELATIVE));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath)
    candidates.push(join(resourcesPath, RELATIVE), join(resourcesPath, 'legal', 'widerrufsbelehrung.md'));
  candidates.push(join(process.cwd(), RELATIVE));
  for (const c of candidates) {
    if (existsSync(c)) return ok(readFileSync(c, 'utf8'));
  }
  return err({
    code: 'legal_default_missing',
    message: msg('legalTemplateMissing'),
    detail: `looked in ${candidates.join(', ')}`,
  });
}
