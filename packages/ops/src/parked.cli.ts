import { parseArgs } from 'node:util';
import { escapeControlCharacters, SUBJECTS } from '@rxscan/contracts';
import type { Bus } from '@rxscan/bus';
import { ParkedEventRepository, type ParkedEventRow, type StreamMessage } from '@rxscan/med-store';
import { closeQuickly, openOpsBus, openOpsDatabase } from './ops.context.js';

type Print = (line: string) => void;

export const PARKED_USAGE = `usage: npm run -s ops -- parked [list] [--all]   the events the projection went on without (--all: dropped ones too)
       npm run -s ops -- parked show ID         one of them, with the event as its stream holds it
       npm run -s ops -- parked retry ID        apply it again (after a fix); it stays parked if it still fails
       npm run -s ops -- parked drop ID         let it go: no longer counted, and a rebuild leaves it out quietly
ID is <stream>-<seq>, e.g. MEDS-42. Parked events are announced on ${SUBJECTS.medStoreParked} (nats sub '${SUBJECTS.medStoreParked}').`;

const oneLine = (s: string, max: number) => {
  const e = escapeControlCharacters(s);
  return e.length > max ? `${e.slice(0, max - 1)}…` : e;
};

/** One line per parked event: id, subject, why, when, and the error. */
export function formatParked(rows: ParkedEventRow[], print: Print): void {
  for (const r of rows) {
    print(`${r.id.padEnd(12)} ${oneLine(r.subject, 28).padEnd(28)} ${r.reason.padEnd(7)} ${String(r.attempts).padStart(3)}x  ${r.parked_at}${r.dropped_at ? `  dropped ${r.dropped_at}` : ''}`);
    print(`             ${oneLine(r.error, 200)}`);
  }
}

/** The payload as the stream holds it, for a person: pretty JSON when it is JSON, control characters escaped either way. */
export function formatPayload(data: Uint8Array): string[] {
  const text = new TextDecoder().decode(data);
  let shown: string;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    shown = text;
  }
  const lines = shown.split('\n').map((l) => oneLine(l, 300));
  return lines.length > 80 ? [...lines.slice(0, 80), `… ${lines.length - 80} more lines`] : lines;
}

/** A message of a stream by its sequence; null when the stream no longer holds it. */
export async function readStreamMessage(bus: Bus, stream: string, seq: number): Promise<StreamMessage | null> {
  try {
    const m = await bus.jsm.streams.getMessage(stream, { seq });
    return m ? { subject: m.subject, data: m.data } : null;
  } catch (err) {
    if (/no message|not found/i.test(String(err))) return null;
    throw err;
  }
}

/**
 * `ops parked …`: list, show, retry or drop the events the projection parked. list and drop
 * need only the database; show and retry also read the event from its stream.
 */
export async function parkedCommand(argv: string[], print: Print): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { all: { type: 'boolean' }, help: { type: 'boolean' } } });
  const action = positionals[0] ?? 'list';
  const id = positionals[1];
  if (values.help || !['list', 'show', 'retry', 'drop'].includes(action) || (action !== 'list' && !id)) {
    print(PARKED_USAGE);
    return values.help ? 0 : 2;
  }
  const { orm } = await openOpsDatabase();
  let bus: Bus | null = null;
  try {
    const parked = new ParkedEventRepository(orm);
    if (action === 'list') return await list(parked, Boolean(values.all), print);
    const row = await parked.get(id!);
    if (!row) {
      print(`no parked event ${oneLine(id!, 40)} (see: ops parked)`);
      return 1;
    }
    if (action === 'drop') {
      if (!(await parked.drop(row.id))) {
        print(`${row.id} was not dropped: it is no longer parked (applied by a retry or a rebuild meanwhile; see: ops parked --all)`);
        return 1;
      }
      print(`dropped ${row.id}: it stays on stream ${row.stream} and is no longer counted; a rebuild leaves it out`);
      return 0;
    }
    if (action === 'show') {
      formatParked([row], print);
      try {
        bus = (await openOpsBus()).bus;
      } catch (err) {
        print(`(the event itself is on stream ${row.stream} at ${row.seq}; NATS could not be reached: ${(err as Error).message})`);
        return 0;
      }
      const message = await readStreamMessage(bus, row.stream, Number(row.seq));
      if (!message) print(`stream ${row.stream} no longer holds event ${row.seq}`);
      else for (const l of [`subject ${oneLine(message.subject, 200)}, as stored:`, ...formatPayload(message.data)]) print(l);
      return 0;
    }
    bus = (await openOpsBus()).bus;
    const outcome = await parked.retry(row, (stream, seq) => readStreamMessage(bus!, stream, seq));
    if (outcome.applied) {
      print(`applied ${row.id}; no longer parked (tablets see it on their next refresh)`);
      return 0;
    }
    print(`${row.id} still cannot be applied, and stays parked: ${oneLine(outcome.error, 300)}`);
    return 1;
  } finally {
    await closeQuickly(orm.close(), ...(bus ? [bus.close()] : []));
  }
}

async function list(parked: ParkedEventRepository, all: boolean, print: Print): Promise<number> {
  const rows = await parked.list({ dropped: all });
  formatParked(rows, print);
  const open = rows.filter((r) => !r.dropped_at).length;
  print(`${open} parked${all ? `, ${rows.length - open} dropped` : ''}${open ? ' (ops parked show|retry|drop ID)' : ''}`);
  return 0;
}
