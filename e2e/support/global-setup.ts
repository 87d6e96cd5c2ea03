import type { FullConfig } from '@playwright/test';
import { ELECTRON_INSTALL_HINT, findElectronBinary } from './electron-binary';

/**
 * Says once per run, before any test, when the electron project is selected but cannot run:
 * its tests are then skipped (each carries the same reason in the report), never silently green.
 */
export default function globalSetup(config: FullConfig): void {
  if (!config.projects.some((p) => p.name === 'electron') || !electronSelected(process.argv)) return;
  const binary = findElectronBinary();
  if (!binary.found) console.log(`electron project skipped: ${binary.reason}; ${ELECTRON_INSTALL_HINT}`);
}

/** Global setup sees every project, not the --project choice: that is only on the command line. */
function electronSelected(argv: readonly string[]): boolean {
  const chosen: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--project=')) chosen.push(arg.slice('--project='.length));
    else if (arg === '--project')
      // `--project a b` takes several names
      while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) chosen.push(argv[++i]!);
  }
  return chosen.length === 0 || chosen.some((p) => p === 'electron' || p.includes('*'));
}
