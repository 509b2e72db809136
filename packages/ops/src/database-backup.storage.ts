import { execFile } from 'node:child_process';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'libsql';
import { isPostgres, openDatabase, ProjectionRepository, ProjectorLeaseSchema } from '@rxscan/med-store';
import { DATABASE_HINT, hidePassword, OPS_PATIENCE_MS, within } from './ops.context.js';

const run = promisify(execFile);

/** What a database backup is: a SQLite file, or a PostgreSQL custom-format dump. */
export type DatabaseKind = 'sqlite' | 'postgres';
export const databaseFile = (kind: DatabaseKind) => (kind === 'sqlite' ? 'database.sqlite' : 'database.pgdump');

/** How far each stream is projected in the database (from its projection_position rows). */
export type Positions = Record<string, number>;

async function positionsOf(url: string, schema?: string): Promise<Positions> {
  if (!isPostgres(url)) {
    // Read-only, straight from the file: opening it with the ORM would switch the copy to WAL mode.
    const db = new Database(url, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('select stream, last_seq from projection_position').all() as { stream: string; last_seq: number }[];
      return Object.fromEntries(rows.map((r) => [r.stream, Number(r.last_seq)]));
    } finally {
      db.close();
    }
  }
  const orm = await within(`the database at ${hidePassword(url)}`, DATABASE_HINT, openDatabase({ url, schema }), OPS_PATIENCE_MS, (late) => late.close());
  try {
    return Object.fromEntries(await new ProjectionRepository(orm).positions());
  } finally {
    await orm.close();
  }
}

async function tool(name: string, args: string[]): Promise<void> {
  try {
    await run(name, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${name} is not installed: PostgreSQL backups use pg_dump and pg_restore (Debian: apt-get install postgresql-client)`);
    throw new Error(`${name} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/**
 * A consistent copy of the database as it is now, while the system runs: SQLite's
 * `VACUUM INTO` (one read transaction), or `pg_dump` (one snapshot). Resolves with its
 * kind and how far each stream was projected in that copy.
 */
export async function backupDatabase(url: string, dir: string, schema?: string): Promise<{ kind: DatabaseKind; file: string; positions: Positions }> {
  const kind: DatabaseKind = isPostgres(url) ? 'postgres' : 'sqlite';
  const file = path.join(dir, databaseFile(kind));
  if (kind === 'postgres') {
    await tool('pg_dump', ['--format=custom', '--no-owner', ...(schema ? [`--schema=${schema}`] : []), `--file=${file}`, url]);
    return { kind, file, positions: await positionsOf(url, schema) };
  }
  // VACUUM INTO reads one consistent snapshot, whatever the projector writes meanwhile.
  const db = new Database(url, { fileMustExist: true });
  try {
    db.exec('pragma busy_timeout = 5000');
    db.exec(`vacuum into '${file.replace(/'/g, "''")}'`);
  } finally {
    db.close();
  }
  return { kind, file, positions: await positionsOf(file) };
}

/**
 * The restored database as med-store will find it: the projector lease of the system it
 * was copied from is dropped (that replica is gone; waiting for it to expire would hold
 * the projection back for its whole time to live). Resolves with the projected positions.
 */
async function adoptRestored(url: string, schema?: string): Promise<Positions> {
  if (!isPostgres(url)) {
    const db = new Database(url, { fileMustExist: true });
    try {
      db.exec('delete from projector_lease');
    } finally {
      db.close();
    }
    return positionsOf(url);
  }
  const orm = await openDatabase({ url, schema });
  try {
    await orm.em.fork().nativeDelete(ProjectorLeaseSchema, {});
    return Object.fromEntries(await new ProjectionRepository(orm).positions());
  } finally {
    await orm.close();
  }
}

/** Puts a database backup in place: the SQLite file where `url` points (which must not exist yet), or `pg_restore` into `url`. */
export async function restoreDatabase(kind: DatabaseKind, file: string, url: string, schema?: string): Promise<Positions> {
  if (kind === 'postgres') {
    if (!isPostgres(url)) throw new Error('this backup holds a PostgreSQL database: set DATABASE_URL=postgres://… to restore it');
    await tool('pg_restore', ['--no-owner', '--clean', '--if-exists', '--exit-on-error', `--dbname=${url}`, file]);
    return adoptRestored(url, schema);
  }
  if (isPostgres(url)) throw new Error('this backup holds a SQLite database: leave DATABASE_URL unset (or a file path) to restore it');
  if (await stat(url).then(() => true, () => false)) throw new Error(`${url} exists: restore into an empty DATA_DIR (or move the old database aside)`);
  await mkdir(path.dirname(path.resolve(url)), { recursive: true });
  await copyFile(file, url);
  return adoptRestored(url);
}
