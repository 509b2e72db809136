import { decodeEvent, isInvalidEvent, STREAMS, type MedEvent, type OcrEvent } from '@rxscan/contracts';
import type { Bus } from '@rxscan/bus';
import type { StoredEvent } from './projection.repository.js';

/**
 * Every valid event of a stream from its first message to the head as it is now,
 * through an ordered (ephemeral) consumer. Invalid messages are counted in
 * `skipped` and left out, as the live projector leaves them out.
 */
export async function* readStream(bus: Bus, stream: keyof typeof STREAMS, skipped: { count: number } = { count: 0 }): AsyncGenerator<StoredEvent> {
  const head = (await bus.jsm.streams.info(stream)).state.last_seq;
  if (head === 0) return;
  const consumer = await bus.js.consumers.get(stream);
  const messages = await consumer.consume({ max_messages: 1000 });
  try {
    for await (const m of messages) {
      try {
        yield { stream, seq: m.seq, event: decodeEvent(m.subject, m.data) as OcrEvent | MedEvent };
      } catch (err) {
        if (!isInvalidEvent(err)) throw err;
        skipped.count++;
      }
      if (m.seq >= head) break;
    }
  } finally {
    await messages.close().catch(() => {});
  }
}

/** Both streams, OCR first: a person's change to a medication always follows the scan it came from. */
export async function* readAllStreams(bus: Bus, skipped: { count: number } = { count: 0 }): AsyncGenerator<StoredEvent> {
  yield* readStream(bus, 'OCR', skipped);
  yield* readStream(bus, 'MEDS', skipped);
}
