import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { encodeEvent, type BusEvent } from '@rxscan/contracts';
import { applyMessage, type ProjectedMessage, type ProjectionConsumerDeps } from './projection.consumer.js';
import type { Unapplied } from './projection.repository.js';
import type { ParkedEventRow } from './table.schema.js';
import { MAX_PARKS_IN_A_ROW } from './projection-parking.rule.js';

const updated = (name: string): BusEvent => ({ type: 'med.updated', data: { med_id: 'med-00000001', changes: { name }, updated_at: '2026-12-01T10:00:00.000Z' } });

/** A message as the consumer sees it, recording how it was answered. */
function message(seq: number, data: Uint8Array, subject = 'med.updated') {
  const answers: string[] = [];
  const m: ProjectedMessage = {
    subject,
    data,
    seq,
    ack: () => void answers.push('ack'),
    nak: () => void answers.push('nak'),
    term: () => void answers.push('term'),
    working: () => void answers.push('working'),
  };
  return { m, answers };
}

/** A store whose apply fails with `failures` in turn, then applies; parks into `parked`. */
function harness(failures: (() => unknown)[]) {
  const parked: Unapplied[] = [];
  const advanced: number[] = [];
  let tries = 0;
  const deps: ProjectionConsumerDeps = {
    store: {
      apply: async () => {
        const fail = failures[tries++];
        if (fail) throw fail();
        return {};
      },
      park: async (what) => {
        parked.push(what);
        return { id: `${what.stream}-${what.seq}`, ...what, parked_at: 'now', dropped_at: null } as ParkedEventRow;
      },
    },
    log: pino({ level: 'silent' }),
    poisoned: new Map(),
    advance: (_s, seq) => void advanced.push(seq),
    onApplied: () => {},
    onParked: () => {},
    onFailing: () => {},
    onMoving: () => {},
    onLeaseLost: () => {},
    stopping: () => false,
    retryDelayMs: () => 1,
  };
  return { deps, parked, advanced, tries: () => tries };
}

const sqlError = (message: string, code: string) => Object.assign(new Error(message), { name: 'DriverException', code });

describe('the projector, event by event', () => {
  it('parks an event its schema refuses at once, and moves past it', async () => {
    const h = harness([]);
    const raw = new TextEncoder().encode(JSON.stringify({ med_id: 'med-00000001', changes: { name: 'a\u0000b' }, updated_at: '2026-12-01T10:00:00.000Z' }));
    const { m, answers } = message(7, raw);
    await applyMessage('MEDS', m, h.deps);
    expect(h.parked).toEqual([expect.objectContaining({ stream: 'MEDS', seq: 7, reason: 'invalid', attempts: 1, error: expect.stringMatching(/changes\.name: must not contain control characters/) })]);
    expect(answers).toEqual(['term']);
    expect(h.advanced).toEqual([7]);
    expect(h.tries()).toBe(0);
  });

  it('parks an event that fails the same way three times, and the stream goes on', async () => {
    const refused = () => sqlError('insert … - refused by a test trigger', 'SQLITE_CONSTRAINT_TRIGGER');
    const h = harness([refused, refused, refused, refused]);
    const { m, answers } = message(8, encodeEvent(updated('Poison pill')));
    await applyMessage('MEDS', m, h.deps);
    expect(h.tries()).toBe(3);
    expect(h.parked).toEqual([expect.objectContaining({ seq: 8, reason: 'failed', attempts: 3, error: 'DriverException: refused by a test trigger (SQLITE_CONSTRAINT_TRIGGER)' })]);
    expect(answers.at(-1)).toBe('ack');
    expect(h.advanced).toEqual([8]);
  });

  it('retries a full disk for as long as it lasts, then applies the event: never parked', async () => {
    const full = () => sqlError('insert … - database or disk is full', 'SQLITE_FULL');
    const h = harness(Array.from({ length: 12 }, () => full));
    const { m, answers } = message(9, encodeEvent(updated('Aspirin')));
    await applyMessage('MEDS', m, h.deps);
    expect(h.tries()).toBe(13);
    expect(h.parked).toEqual([]);
    expect(answers.filter((a) => a === 'working')).toHaveLength(12);
    expect(answers.at(-1)).toBe('ack');
  });

  it('stops parking a failure that every event has: it is the database\'s, so it retries', async () => {
    const broken = () => sqlError('insert … - something this rule has never seen', 'SQLITE_WEIRD');
    const parking = { signature: '', inARow: 0 };
    const h = harness(Array.from({ length: 3 * MAX_PARKS_IN_A_ROW + 6 }, () => broken));
    for (let seq = 1; seq <= MAX_PARKS_IN_A_ROW; seq++) await applyMessage('MEDS', message(seq, encodeEvent(updated(`m${seq}`))).m, h.deps, parking);
    expect(h.parked).toHaveLength(MAX_PARKS_IN_A_ROW);
    // The next event with the same failure is retried in place until the failure passes.
    const next = message(99, encodeEvent(updated('next')));
    await applyMessage('MEDS', next.m, h.deps, parking);
    expect(h.parked).toHaveLength(MAX_PARKS_IN_A_ROW);
    expect(next.answers.at(-1)).toBe('ack');
    expect(parking.inARow).toBe(0);
  });
});
