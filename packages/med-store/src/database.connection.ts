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
    orm = await MikroORM.init({ ...common, driver: LibSqlDriver, dbName: cfg.url });
    // Another process (the ops CLI, a second replica) may hold the write lock for a moment:
    // wait for it rather than fail with SQLITE_BUSY.
    await orm.em.getConnection().execute('pragma busy_timeout = 5000');
    // WAL lets the API read while the projector writes.
    await orm.em.getConnection().execute('pragma journal_mode = wal');
  }
  await orm.getMigrator().up();
  return orm;
}
