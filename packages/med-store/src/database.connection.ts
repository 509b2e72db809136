import { chmod, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
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
    orm = await MikroORM.init({ ...common, driver: LibSqlDriver, dbName: cfg.url });
    // Another process (the ops CLI, a second replica) may hold the write lock for a moment:
    // wait for it rather than fail with SQLITE_BUSY.
    await orm.em.getConnection().execute('pragma busy_timeout = 5000');
    // WAL lets the API read while the projector writes.
    await orm.em.getConnection().execute('pragma journal_mode = wal');
  }
  await orm.getMigrator().up();
  if (!isPostgres(cfg.url)) await keepPrivate(cfg.url);
  return orm;
}

/**
 * The SQLite file and its WAL and shared-memory files hold patients' names and doses:
 * 0600 whatever the umask (SQLite gives the -wal and -shm files the database's mode).
 */
async function keepPrivate(file: string): Promise<void> {
  if (file === ':memory:' || file.startsWith('file:') || file.includes('://')) return;
  await mkdir(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  await (await open(file, 'a', 0o600)).close();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    await chmod(f, 0o600).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}
