import { decodeEvent, isInvalidEvent, STREAMS, type MedEvent, type OcrEvent } from '@rxscan/contracts';
import type { Bus } from '@rxscan/bus';
import type { InvalidStoredEvent, StoredEvent } from './projection.repository.js';
import { describeFailure } from './projection-parking.rule.js';

/**
 * Every message of a stream from its first to the head as it is now, through an
 * ordered (ephemeral) consumer: each valid event, and each message its schema refuses
 * (with why), as the live projector sees them. The refused ones are also counted in `skipped`.
 */
export async function* readStream(bus: Bus, stream: keyof typeof STREAMS, skipped: { count: number } = { count: 0 }): AsyncGenerator<StoredEvent | InvalidStoredEvent> {
  const head = (await bus.jsm.streams.info(stream)).state.last_seq;
  if (head === 0) return;
  const consumer = await bus.js.consumers.get(stream);
  const messages = await consumer.consume({ max_messages: 1000 });
  try {
    for await (const m of messages) {
      let entry: StoredEvent | InvalidStoredEvent;
      try {
        entry = { stream, seq: m.seq, subject: m.subject, event: decodeEvent(m.subject, m.data) as OcrEvent | MedEvent };
      } catch (err) {
        if (!isInvalidEvent(err)) throw err;
        skipped.count++;
        entry = { stream, seq: m.seq, subject: m.subject, invalid: describeFailure(err) };
      }
      yield entry;
      if (m.seq >= head) break;
    }
  } finally {
    await messages.close().catch(() => {});
  }
}

/** Both streams, OCR first: a person's change to a medication always follows the scan it came from. */
export async function* readAllStreams(bus: Bus, skipped: { count: number } = { count: 0 }): AsyncGenerator<StoredEvent | InvalidStoredEvent> {
  yield* readStream(bus, 'OCR', skipped);
  yield* readStream(bus, 'MEDS', skipped);
}
