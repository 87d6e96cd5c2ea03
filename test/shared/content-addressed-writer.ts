import { join } from 'node:path';
import { sha256Hex, writeContentAddressed } from '../../src-shared/content-addressed';

/**
 * A writer process for test/shared/content-addressed.test.ts:
 *   same <dir> <seed> <count>  — writes the 1 MiB blobs <seed>-0 … <seed>-<count-1>, then prints
 *                                "done"; several processes with one seed race on every name
 *   many <dir> <seed>          — writes distinct 1 MiB blobs forever, printing "wrote <sha>" after each
 */
const [mode, dir, seed, count] = process.argv.slice(2) as [string, string, string, string?];

function blob(label: string, size: number): Buffer {
  return Buffer.alloc(size, Buffer.from(sha256Hex(label), 'hex'));
}

if (mode === 'same') {
  for (let i = 0; i < Number(count); i++) {
    const bytes = blob(`${seed}-${i}`, 1024 * 1024);
    writeContentAddressed(join(dir, sha256Hex(bytes)), bytes);
  }
  process.stdout.write('done\n');
} else {
  for (let i = 0; ; i++) {
    const bytes = blob(`${seed}-${i}`, 1024 * 1024);
    const sha = sha256Hex(bytes);
    writeContentAddressed(join(dir, sha), bytes);
    process.stdout.write(`wrote ${sha}\n`);
  }
}
