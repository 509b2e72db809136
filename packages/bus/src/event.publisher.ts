import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { encodeEvent, messageIdOf, type BusEvent } from '@rxscan/contracts';

/**
 * Validates, then publishes an event and waits for JetStream to store it.
 * Resolves with the stream's acknowledgement (its `seq`, and `duplicate` when
 * the server had already stored a message with the same id).
 */
export function publishEvent(js: JetStreamClient, event: BusEvent, opts: { timeout?: number } = {}): Promise<PubAck> {
  return js.publish(event.type, encodeEvent(event), { msgID: messageIdOf(event), timeout: opts.timeout ?? 5000 });
}
