import { describe, expect, it } from 'vitest';
import { afterFailures, describeFailure, isTransient, mayPark, MAX_PARKS_IN_A_ROW, PARK_AFTER_ATTEMPTS } from './projection-parking.rule.js';

/** An error shaped as MikroORM's driver exceptions are (the database's code copied onto it). */
const driverError = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name: 'DriverException', code, ...extra });

// What libsql said when a value with a NUL reached its SQL text (measured), and what a test trigger says.
const nulInSql = () => driverError(`insert into \`med\` (\`id\`, \`name\`) values ('m1', 'a\u0000b') - unrecognized token: "'a"`, 'SQLITE_ERROR', { rawCode: 1 });
const trigger = () => driverError('update `med` set `name` = \'x\' - refused by a test trigger', 'SQLITE_CONSTRAINT_TRIGGER');
const pgRaise = () => driverError('insert into "med" … - refused by a test trigger', 'P0001', { sqlState: 'P0001' });

describe('which failures are the event\'s own (parked) and which pass by themselves (retried)', () => {
  it.each([
    ['SQLite busy', driverError('database is locked', 'SQLITE_BUSY')],
    ['SQLite locked table', driverError('database table is locked', 'SQLITE_LOCKED')],
    ['SQLite disk full', driverError("insert into `med` … - database or disk is full", 'SQLITE_FULL', { rawCode: 13 })],
    ['SQLite I/O error', driverError('disk I/O error', 'SQLITE_IOERR_WRITE')],
    ['SQLite read-only file', driverError('attempt to write a readonly database', 'SQLITE_READONLY')],
    ['the disk full, as Node says it', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })],
    ['a connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['PostgreSQL gone mid-query', driverError('Connection terminated unexpectedly', '57P01', { sqlState: '57P01' })],
    ['PostgreSQL disk full', driverError('could not extend file: No space left on device', '53100', { sqlState: '53100' })],
    ['PostgreSQL serialization failure', driverError('could not serialize access', '40001', { sqlState: '40001' })],
    ['PostgreSQL deadlock', driverError('deadlock detected', '40P01')],
    ['PostgreSQL table not there yet', driverError('relation "med" does not exist', '42P01')],
    ['MikroORM connection exception', Object.assign(new Error('x'), { name: 'ConnectionException' })],
    ['a pool timeout, the code lost', new Error('Knex: Timeout acquiring a connection. The pool is probably full.')],
    ['wrapped in a cause', new Error('apply failed', { cause: driverError('database is locked', 'SQLITE_BUSY') })],
  ])('%s is transient', (_what, err) => {
    expect(isTransient(err)).toBe(true);
    // However often it comes back the same.
    expect(afterFailures(Array.from({ length: 20 }, () => err))).toBe('retry');
  });

  it.each([
    ['a NUL the driver wrote into its SQL', nulInSql],
    ['a row a trigger refuses (SQLite)', trigger],
    ['a row a trigger refuses (PostgreSQL)', pgRaise],
    ['a bug the event walks into', () => new TypeError("Cannot read properties of null (reading 'status')")],
  ])('%s is not transient, and is parked after PARK_AFTER_ATTEMPTS tries in a row', (_what, make) => {
    expect(isTransient(make())).toBe(false);
    for (let n = 1; n < PARK_AFTER_ATTEMPTS; n++) expect(afterFailures(Array.from({ length: n }, make))).toBe('retry');
    expect(afterFailures(Array.from({ length: PARK_AFTER_ATTEMPTS }, make))).toBe('park');
  });

  it('retries failures that differ from try to try: only the same failure every time is the event\'s', () => {
    let i = 0;
    const varying = () => new Error(`lost update ${i++}`);
    expect(afterFailures([varying(), varying(), varying(), varying()])).toBe('retry');
    // The last tries decide: a transient failure just before resets the count.
    expect(afterFailures([driverError('database is locked', 'SQLITE_BUSY'), nulInSql(), nulInSql()])).toBe('retry');
    expect(afterFailures([driverError('database is locked', 'SQLITE_BUSY'), nulInSql(), nulInSql(), nulInSql()])).toBe('park');
  });

  it('stops parking one failure after several events in a row: then it is the database\'s', () => {
    expect(mayPark(0)).toBe(true);
    expect(mayPark(MAX_PARKS_IN_A_ROW - 1)).toBe(true);
    expect(mayPark(MAX_PARKS_IN_A_ROW)).toBe(false);
  });

  it('describes a failure in one line without the statement and its values, control characters escaped', () => {
    const said = describeFailure(nulInSql());
    expect(said).toBe('DriverException: unrecognized token: "\'a" (SQLITE_ERROR)');
    expect(describeFailure(new Error('bad\u0000\u001b[2J'))).toBe('Error: bad\\u0000\\u001b[2J');
    expect(describeFailure(new Error('x'.repeat(2000)))).toHaveLength(500);
  });
});
