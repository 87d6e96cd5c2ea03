import { parseArgs } from 'node:util';
import { backup, restore } from './backup';

export const OPS_HELP = `  backup --out FILE [--db FILE | --db postgres://…]
        a consistent backup while the collector runs: SQLite online backup (plus FILE.files/ with
        the offers' files) or pg_dump custom format; prints {"kind","file","bytes",…}
  restore FILE --db TARGET
        restores a backup into an EMPTY store (a new SQLite file, or an empty PostgreSQL
        database given as --db postgres://… or DATABASE_URL); refuses a non-empty one`;

/** exit code and message for the CLI's own failure path (cli.ts `fail`) */
export class OpsCommandError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `backup` and `restore` (issue 20). Returns false for any other command, which cli.ts handles.
 * `--db` defaults to DATABASE_URL when that is set, else ./blitz-collector.db, as for every command.
 */
export async function runOpsCommand(command: string | undefined, args: string[]): Promise<boolean> {
  if (command !== 'backup' && command !== 'restore') return false;
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: command === 'restore',
    options: { db: { type: 'string' }, out: { type: 'string' } },
  });
  const db = values.db ?? (process.env.DATABASE_URL || 'blitz-collector.db');
  const result =
    command === 'backup'
      ? await backup({ out: need(values.out, '--out'), db })
      : await restore({ file: need(positionals[0], 'FILE'), db });
  if (!result.ok) {
    const { message, detail } = result.error;
    throw new OpsCommandError(1, `Fehler: ${message}${detail ? ` — ${detail}` : ''}`);
  }
  process.stdout.write(`${JSON.stringify(result.value)}\n`);
  return true;
}

function need(v: string | undefined, what: string): string {
  if (v === undefined || v.trim() === '')
    throw new OpsCommandError(2, `Aufruf fehlerhaft (usage error): missing ${what}`);
  return v;
}
