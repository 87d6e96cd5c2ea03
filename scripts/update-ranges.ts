/**
 * npm run update:ranges [-- --only ID,ID] [--dry-run] [--mirror URL] [--data-dir DIR]
 *
 * Refreshes the published IP ranges the classifier uses (src-collector/classify/data) from the
 * providers' lists: AWS, Google Cloud, Azure service tags, Microsoft 365 endpoints (EOP, also the
 * US government instances), Apple's relay egress CSV, Telegram's CIDR list, and the help pages of
 * Mimecast, Proofpoint, Barracuda, Hornetsecurity, Trend Micro, Broadcom and Sophos. Each written
 * source gets today's date as `asOf`. A source that cannot be reached or parsed is reported and
 * its file kept as it was; exit code 1 when any failed. Review the diff before committing it.
 */
import { fileURLToPath } from 'node:url';
import { MANUAL, updateRanges } from '../src-collector/classify/ranges-update';

async function main(argv: string[]): Promise<number> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dataDir =
    arg('--data-dir') ?? fileURLToPath(new URL('../src-collector/classify/data', import.meta.url));
  const only = arg('--only')?.split(',');
  const mirror = arg('--mirror');
  const reports = await updateRanges({
    dataDir,
    dryRun: argv.includes('--dry-run'),
    ...(only ? { only } : {}),
    ...(mirror ? { mirror } : {}),
  });
  for (const r of reports) {
    if (r.ok)
      console.log(
        `ok      ${r.id.padEnd(18)} ${r.prefixes} prefixes (+${r.added} −${r.removed})${r.written ? ', written' : r.added || r.removed ? ', not written (dry run)' : ', unchanged'}`,
      );
    else console.log(`FAILED  ${r.id.padEnd(18)} ${r.error} — file kept`);
  }
  console.log(`kept by hand (no readable list): ${MANUAL.join(', ')}`);
  const failed = reports.filter((r) => !r.ok).length;
  if (failed > 0)
    console.log(`${failed} of ${reports.length} sources could not be refreshed; their files are unchanged.`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 2;
  },
);
