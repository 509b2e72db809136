import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '@rxscan/test-utils';
import { openDatabase } from './database.connection.js';
import { ParkedEventSchema } from './table.schema.js';

/** The pool's one raw libsql connection, borrowed and handed back as knex does around a query. */
interface RawConnection {
  exec(sql: string): void;
  __created: number;
}
const pool = (orm: MikroORM) => (orm.em.getConnection() as unknown as { getKnex(): { client: { acquireConnection(): Promise<RawConnection>; releaseConnection(c: RawConnection): Promise<void> } } }).getKnex().client;

const parkedRow = (id: string) =>
  `insert into parked_event (id, stream, seq, subject, reason, error, attempts, parked_at) values ('${id}', 'OCR', 1, 'ocr.completed', 'invalid', 'x', 1, '2026-12-02T00:00:00.000Z')`;

/** Another process writing `sql` in its own transaction: says `locked` once it holds the write lock, commits `holdMs` later. */
const otherProcess = (file: string, sql: string, holdMs: number) =>
  spawn(
    process.execPath,
    [
      '-e',
      `const D = require(process.argv[3]); const db = new D(process.argv[1], { timeout: 10000 });
       db.exec('pragma busy_timeout = 10000'); db.exec('begin immediate'); db.exec(process.argv[2]); console.log('locked');
       setTimeout(() => { db.exec('commit'); db.close(); }, Number(process.argv[4]));`,
      file,
      sql,
      createRequire(import.meta.url).resolve('libsql'),
      String(holdMs),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );

describe('the SQLite connection under another process', () => {
  let dir: TempDir;
  let orm: MikroORM;
  const file = () => path.join(dir.path, 'meds.sqlite');

  beforeEach(async () => {
    dir = await tempDir();
    orm = await openDatabase({ url: file() });
  });
  afterEach(async () => {
    await orm?.close();
    await dir?.remove();
  });

  it('never shows or keeps a row whose transaction did not commit (a failed COMMIT leaves it open)', async () => {
    const client = pool(orm);
    const conn = await client.acquireConnection();
    conn.exec('begin');
    conn.exec(parkedRow('OCR-1'));
    await client.releaseConnection(conn);

    // Reused, the connection would answer from inside the open transaction, and lose the row when closed later.
    expect(await orm.em.fork().count(ParkedEventSchema, {})).toBe(0);
    await orm.close();
    orm = await openDatabase({ url: file() });
    expect(await orm.em.fork().count(ParkedEventSchema, {})).toBe(0);
  });

  it('commits a transaction that read before another process wrote, and then reads what that process wrote', async () => {
    let other: ReturnType<typeof otherProcess> | undefined;
    await orm.em.fork().transactional(async (em) => {
      expect(await em.count(ParkedEventSchema, {})).toBe(0);
      // The ops CLI replays a job while this transaction (a lease renewal, an event applied) is open.
      other = otherProcess(file(), parkedRow('OCR-1'), 0);
      await new Promise((r) => setTimeout(r, 300));
      em.persist(em.create(ParkedEventSchema, { id: 'OCR-2', stream: 'OCR', seq: 2, subject: 'ocr.completed', reason: 'invalid', error: 'x', attempts: 1, parked_at: '2026-12-02T00:00:00.000Z', dropped_at: null }));
    });
    await once(other!, 'exit');
    expect((await orm.em.fork().find(ParkedEventSchema, {}, { orderBy: { id: 'asc' } })).map((r) => r.id)).toEqual(['OCR-1', 'OCR-2']);
  });

  it('waits for the write lock another process holds, on every connection the pool opens', async () => {
    // The libsql dialect replaces its connection once it is 10 s old; make that happen now.
    const client = pool(orm);
    const conn = await client.acquireConnection();
    conn.__created = 0;
    await client.releaseConnection(conn);

    // Another process (as the ops CLI would) holds the write lock for 400 ms.
    const holder = otherProcess(file(), parkedRow('OCR-1'), 400);
    await once(holder.stdout!, 'data');

    const em = orm.em.fork();
    em.persist(em.create(ParkedEventSchema, { id: 'OCR-2', stream: 'OCR', seq: 2, subject: 'ocr.completed', reason: 'invalid', error: 'x', attempts: 1, parked_at: '2026-12-02T00:00:00.000Z', dropped_at: null }));
    await em.flush();
    await once(holder, 'exit');
    expect((await orm.em.fork().find(ParkedEventSchema, {}, { orderBy: { id: 'asc' } })).map((r) => r.id)).toEqual(['OCR-1', 'OCR-2']);
  });

  it('keeps its hold on the file while open: another process cannot take the database for itself, even after a second open here', async () => {
    // What a process does with the database only when it believes it is alone (its last connection
    // closing checkpoints and truncates the WAL; switching the journal mode is the same lock, and says so).
    const takeForItself = async () => {
      const child = spawn(
        process.execPath,
        ['-e', `const D = require(process.argv[2]); const db = new D(process.argv[1]);
          try { console.log(db.prepare('pragma journal_mode = delete').get().journal_mode); } catch (err) { console.log('refused: ' + err.message); }`, file(), createRequire(import.meta.url).resolve('libsql')],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      await once(child, 'exit');
      return out.trim();
    };
    await orm.em.fork().count(ParkedEventSchema, {});
    expect(await takeForItself()).toBe('refused: database is locked');
    // A second replica (or the ops code) opening the same file in this process must not let go of the first's hold.
    const second = await openDatabase({ url: file() });
    try {
      await second.em.fork().count(ParkedEventSchema, {});
      expect(await takeForItself()).toBe('refused: database is locked');
    } finally {
      await second.close();
    }
    expect(await orm.em.fork().count(ParkedEventSchema, {})).toBe(0);
  });
});
