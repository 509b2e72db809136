import { chmod, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { LockMode, MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './table.schema.js';
import { MIGRATIONS } from './database.migrations.js';

export interface DatabaseConfig {
  /** `postgres://…` for PostgreSQL; otherwise the path of the SQLite file. */
  url: string;
  /** PostgreSQL schema to use (one per test run, or per site). */
  schema?: string;
  /** Where MikroORM's own messages (migrations applied) go. */
  logger?: (message: string) => void;
}

export const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url);

/**
 * The lock a transaction takes on the rows it reads before writing them: PostgreSQL needs the
 * rows locked; SQLite's transactions take the write lock when they begin (SQLITE_POOL below).
 */
export const rowWriteLock = (orm: MikroORM): LockMode.PESSIMISTIC_WRITE | undefined =>
  orm.config.get('driver')?.name?.startsWith('PostgreSql') ? LockMode.PESSIMISTIC_WRITE : undefined;

/** What this module needs of a libsql connection (better-sqlite3's API). */
interface SqliteHandle {
  exec(sql: string): void;
  prepare(sql: string): unknown;
  readonly inTransaction: boolean;
}

/** The statement knex opens every transaction with. */
const BEGIN = /^\s*begin\s*;?\s*$/i;

/**
 * The SQLite connection pool (one connection; the libsql dialect opens a new one every 10 s),
 * made safe for a second process writing the same file (the ops CLI, a second replica):
 * - every new connection waits up to 5 s for the other's write lock rather than failing at once
 *   with SQLITE_BUSY (a pragma set once on the first connection is gone after 10 s);
 * - every transaction takes the write lock when it begins (`BEGIN IMMEDIATE`, knex says `BEGIN`).
 *   A deferred one that read before the other process committed fails its first write with
 *   SQLITE_BUSY_SNAPSHOT, and libsql leaves that statement open: the connection then reads the
 *   old snapshot (a rebuild or replay unseen, for seconds) until the statement is collected;
 * - a connection handed back still inside a transaction (its COMMIT failed: "SQL statements in
 *   progress") is rolled back and replaced, not reused: reused, it would show its own uncommitted
 *   rows to every later read and lose them when it is closed.
 */
const SQLITE_POOL = {
  afterCreate(conn: SqliteHandle, done: (err: Error | null, conn: SqliteHandle) => void): void {
    try {
      conn.exec('pragma busy_timeout = 5000');
      conn.exec('pragma foreign_keys = on');
      const prepare = conn.prepare.bind(conn);
      conn.prepare = (sql: string) => prepare(BEGIN.test(sql) ? 'BEGIN IMMEDIATE' : sql);
      done(null, conn);
    } catch (err) {
      done(err as Error, conn);
    }
  },
  validate(conn: SqliteHandle): boolean {
    if (!conn.inTransaction) return true;
    // Rolled back here, not left to the close: libsql closes a connection only once its last
    // statement is collected, and until then the open transaction would hold the write lock.
    try {
      conn.exec('rollback');
    } catch {
      // Closed below all the same.
    }
    return false;
  },
};

/** Opens the database with the driver its URL names and brings its schema up to date by migrations. */
export async function openDatabase(cfg: DatabaseConfig): Promise<MikroORM> {
  const common: Options = {
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, snapshot: false, tableName: 'mikro_orm_migrations' },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    debug: false,
    logger: cfg.logger ?? (() => {}),
  };
  let orm: MikroORM;
  if (isPostgres(cfg.url)) {
    const { PostgreSqlDriver } = await import('@mikro-orm/postgresql');
    orm = await MikroORM.init({ ...common, driver: PostgreSqlDriver, clientUrl: cfg.url, schema: cfg.schema });
    if (cfg.schema) await orm.em.getConnection().execute(`create schema if not exists "${cfg.schema.replace(/"/g, '')}"`);
  } else {
    const { LibSqlDriver } = await import('@mikro-orm/libsql');
    await keepPrivate(cfg.url);
    orm = await MikroORM.init({ ...common, driver: LibSqlDriver, dbName: cfg.url, pool: SQLITE_POOL });
    // WAL lets the API read while the projector writes (it is stored in the file, once is enough).
    await orm.em.getConnection().execute('pragma journal_mode = wal');
  }
  await orm.getMigrator().up();
  if (!isPostgres(cfg.url)) await keepPrivate(cfg.url);
  return orm;
}

/**
 * The SQLite file and its WAL and shared-memory files hold patients' names and doses:
 * 0600 whatever the umask (SQLite gives the -wal and -shm files the database's mode).
 *
 * The file is created here only when it does not exist yet: opening and closing a file that
 * this process already has open through SQLite (a second ORM on it, or this function after
 * `MikroORM.init`) releases every POSIX lock the process holds on it, SQLite's shared lock
 * included. Without that lock another process closing the database believes it is the last
 * one, checkpoints in exclusive mode (ignoring the readers and the writer in the shared
 * memory) and truncates the WAL under this one: changes another process made were then seen
 * by one reader and not by the next (an `ops parked drop` undone by the following rebuild).
 */
async function keepPrivate(file: string): Promise<void> {
  if (file === ':memory:' || file.startsWith('file:') || file.includes('://')) return;
  await mkdir(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  await open(file, 'wx', 0o600).then(
    (created) => created.close(),
    (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    },
  );
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    await chmod(f, 0o600).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}
