import { escapeControlCharacters } from '@rxscan/contracts';

/**
 * When the projector parks an event instead of trying it again.
 *
 * An event that fails to apply is tried again in place (the next one must not overtake it).
 * It is parked only when the failure is the event's own: the same error every try, for
 * PARK_AFTER_ATTEMPTS tries in a row, and not an error of the kind that passes by itself
 * (the database busy or locked, the disk full, the connection lost, the schema not there
 * yet). Those are retried for as long as they last, however alike each try fails: parking
 * would empty the stream into the dead-letter table while the database is away.
 */
export const PARK_AFTER_ATTEMPTS = 3;

/**
 * Parks in a row for one and the same failure after which that failure is taken to be the
 * database's and not the events' (something this rule does not know yet): the projector then
 * stops parking and retries, and /readyz says it is stuck.
 */
export const MAX_PARKS_IN_A_ROW = 5;

/** SQLite result codes (libsql's `code`, extended codes included) of a database that is busy, full, away or broken: never one event's fault. */
const SQLITE_TRANSIENT = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|NOMEM|READONLY|PROTOCOL|INTERRUPT|NOLFS|CORRUPT|NOTADB|SCHEMA|PERM|AUTH)/;
/** Node's system error codes of a connection or a disk. */
const SYSTEM_TRANSIENT = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN',
  'ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'ENOMEM',
]);
/**
 * PostgreSQL SQLSTATEs: connection (08), transaction rolled back (40: serialization, deadlock),
 * insufficient resources (53: disk full, out of memory, too many connections), operator
 * intervention (57: shutdown, cancel), system and internal errors (58, XX), a lock not
 * available, and a database, schema, table or column missing (the schema not migrated yet).
 */
const PG_TRANSIENT = /^(08|40|53|57|58|XX|28)...$|^(55P03|25P02|3D000|3F000|42P01|42703)$/;
/** MikroORM's names for the same. */
const ORM_TRANSIENT = new Set(['ConnectionException', 'LockWaitTimeoutException', 'DeadlockException', 'ReadOnlyException', 'TableNotFoundException', 'InvalidFieldNameException']);
/** What the messages say when the code is lost on the way. */
const MESSAGE_TRANSIENT =
  /database (table )?is locked|database or disk is full|disk I\/O error|unable to open database|readonly database|no such (table|column)|relation .* does not exist|connection (terminated|closed|lost|refused|reset|ended)|connection is closed|socket hang up|timed? ?out|timeout|too many clients|the database system is (starting up|shutting down|in recovery)|out of memory|no space left/i;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  sqlState?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The error and the errors it wraps (`cause`), outermost first. */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 6; e = (e as ErrorLike).cause, depth++) out.push(e as ErrorLike);
  return out;
}

/** True for a failure that passes by itself (see the module comment): retried, never parked. */
export function isTransient(err: unknown): boolean {
  return chain(err).some((e) => {
    const code = typeof e.code === 'string' ? e.code : '';
    const state = typeof e.sqlState === 'string' ? e.sqlState : code;
    return (
      SQLITE_TRANSIENT.test(code) ||
      SYSTEM_TRANSIENT.has(code) ||
      PG_TRANSIENT.test(state) ||
      ORM_TRANSIENT.has(String(e.name)) ||
      e.name === 'AbortError' ||
      MESSAGE_TRANSIENT.test(String(e.message ?? ''))
    );
  });
}

/** What makes two failures "the same": the kind of error, its code and its whole message. */
export function failureSignature(err: unknown): string {
  const e = (err ?? {}) as ErrorLike;
  return `${String(e.name ?? typeof err)}|${String(e.code ?? '')}|${String(e.message ?? err)}`;
}

/**
 * Why an event failed, for the dead-letter row, the advisory and the operator: one line, control
 * characters escaped, at most 500 characters. A database error's message starts with the
 * statement and its values; only what the database said after it is kept.
 */
export function describeFailure(err: unknown): string {
  const e = (err ?? {}) as ErrorLike;
  const message = String(e.message ?? err);
  const said = /^(insert|update|delete|select|with)\b[\s\S]* - ([^]*)$/i.exec(message)?.[2] ?? message;
  const code = typeof e.code === 'string' && !said.includes(e.code) ? ` (${e.code})` : '';
  return escapeControlCharacters(`${String(e.name ?? 'Error')}: ${said}${code}`).slice(0, 500);
}

/** The projector's choice after the failures of one event so far (oldest first). */
export type ParkingVerdict = 'park' | 'retry';

/**
 * `park` once the last PARK_AFTER_ATTEMPTS failures are all the same and none of them is
 * transient; `retry` otherwise. Pure: the caller keeps the failures.
 */
export function afterFailures(failures: readonly unknown[]): ParkingVerdict {
  if (failures.length < PARK_AFTER_ATTEMPTS) return 'retry';
  const last = failures.slice(-PARK_AFTER_ATTEMPTS);
  if (last.some(isTransient)) return 'retry';
  const first = failureSignature(last[0]);
  return last.every((f) => failureSignature(f) === first) ? 'park' : 'retry';
}

/**
 * Whether one more event may be parked for `signature`, given how many were parked for it in
 * a row just before (reset by any event applied): past MAX_PARKS_IN_A_ROW the failure is
 * everyone's, not one event's.
 */
export const mayPark = (parkedInARowForSignature: number): boolean => parkedInARowForSignature < MAX_PARKS_IN_A_ROW;
