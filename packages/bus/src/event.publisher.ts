import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { encodeEvent, messageIdOf, subjectOf, type BusEvent, type Lane } from '@rxscan/contracts';

/**
 * Validates, then publishes an event and waits for JetStream to store it.
 * Resolves with the stream's acknowledgement (its `seq`, and `duplicate` when
 * the server had already stored a message with the same id). `lane: 'bulk'` puts an
 * `ocr.requested` on the bulk lane (`ocr.requested.bulk`), read after every interactive one.
 */
export function publishEvent(js: JetStreamClient, event: BusEvent, opts: { timeout?: number; lane?: Lane } = {}): Promise<PubAck> {
  return js.publish(subjectOf(event, opts.lane), encodeEvent(event), { msgID: messageIdOf(event), timeout: opts.timeout ?? 5000 });
}
