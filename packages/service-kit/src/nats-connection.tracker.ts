import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';

/** Follows the connection's status events; returns a function telling whether it is up now. */
export function trackConnection(nc: NatsConnection, log: Logger): () => boolean {
  let up = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'staleConnection' || s.type === 'close') {
        if (up) log.warn({ status: s.type }, 'NATS connection lost');
        up = false;
      } else if (s.type === 'reconnect') {
        up = true;
        log.info('NATS connection back');
      }
    }
  })();
  return () => up && !nc.isClosed();
}
