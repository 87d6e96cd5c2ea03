/**
 * The one schema migration runner of the code base: the collector's SQLite and PostgreSQL
 * databases and the desktop's cache all go through it. It imports no driver; each dialect passes
 * an adapter that knows how to read and record versions and how to run one transaction.
 *
 * A database records which versions it has. The runner applies every known migration that is
 * not recorded, in version order, each together with its record (SQLite: one transaction per
 * migration, so a crash leaves a consistent older version; PostgreSQL: the adapter may run them
 * all in one locked transaction). A database that records a version this program does not know
 * is refused: an older binary must not write to a schema it does not understand.
 */

export interface Migration<Db> {
  version: number;
  /** short, for errors and logs: `office_network_setting` */
  name: string;
  up(db: Db): void;
}

export interface AsyncMigration<Db> {
  version: number;
  name: string;
  up(db: Db): Promise<unknown>;
}

/** For a driver whose transactions are synchronous (better-sqlite3). */
export interface SyncMigrationDialect<Db> {
  /** what the schema is called in errors: "collector database", "desktop cache" */
  label: string;
  db: Db;
  /** the versions the database records (creating the bookkeeping if it is missing) */
  appliedVersions(): number[];
  /** runs `fn` in one transaction */
  transaction(fn: () => void): void;
  /** records `m` as applied; called inside the migration's transaction */
  record(m: Migration<Db>): void;
}

/** For a networked database: everything happens inside `session` (one transaction, locked). */
export interface AsyncMigrationDialect<Tx> {
  label: string;
  session<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  appliedVersions(tx: Tx): Promise<number[]>;
  record(tx: Tx, m: AsyncMigration<Tx>): Promise<void>;
}

export class SchemaTooNewError extends Error {
  constructor(
    readonly label: string,
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `${label}: schema version ${databaseVersion} is newer than this program knows (${codeVersion}); ` +
        'refusing to open it with an older version of Blitz',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** the newest version of a sequence; checks it is 1, 2, 3, … without gaps */
export function latestVersion(label: string, migrations: readonly { version: number }[]): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`${label}: migration #${i + 1} is numbered ${m.version}`);
  });
  return migrations.length;
}

/** the migrations still to apply, in order; throws SchemaTooNewError for a newer database */
export function pendingMigrations<M extends { version: number }>(
  label: string,
  migrations: readonly M[],
  applied: readonly number[],
  target = Number.POSITIVE_INFINITY,
): M[] {
  const latest = latestVersion(label, migrations);
  const newest = applied.reduce((a, b) => Math.max(a, b), 0);
  if (newest > latest) throw new SchemaTooNewError(label, newest, latest);
  const done = new Set(applied);
  return migrations.filter((m) => !done.has(m.version) && m.version <= target);
}

/** Applies what is missing, one transaction per migration; returns the newest applied version. */
export function migrateSync<Db>(
  dialect: SyncMigrationDialect<Db>,
  migrations: readonly Migration<Db>[],
  target?: number,
): number {
  const applied = dialect.appliedVersions();
  for (const m of pendingMigrations(dialect.label, migrations, applied, target)) {
    dialect.transaction(() => {
      m.up(dialect.db);
      dialect.record(m);
    });
    applied.push(m.version);
  }
  return applied.reduce((a, b) => Math.max(a, b), 0);
}

/** Applies what is missing inside the dialect's one session; returns the newest applied version. */
export async function migrateAsync<Tx>(
  dialect: AsyncMigrationDialect<Tx>,
  migrations: readonly AsyncMigration<Tx>[],
  target?: number,
): Promise<number> {
  return dialect.session(async (tx) => {
    const applied = await dialect.appliedVersions(tx);
    for (const m of pendingMigrations(dialect.label, migrations, applied, target)) {
      await m.up(tx);
      await dialect.record(tx, m);
      applied.push(m.version);
    }
    return applied.reduce((a, b) => Math.max(a, b), 0);
  });
}
