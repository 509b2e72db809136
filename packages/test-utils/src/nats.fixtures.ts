import { connectBus, type Bus } from '@rxscan/bus';
import { decodeEvent, STREAMS, type BusEvent } from '@rxscan/contracts';
import { startNatsServer, type NatsServerProcess } from '@rxscan/service-kit';
import { tempDir } from './files.fixtures.js';

export interface TestNats extends NatsServerProcess {
  storeDir: string;
  /** Stops the server and removes its store. */
  dispose(): Promise<void>;
}

/** A real nats-server with JetStream on a free port and a temporary store. */
export async function startTestNats(): Promise<TestNats> {
  const dir = await tempDir('rxscan-nats-');
  const server = await startNatsServer({ storeDir: dir.path });
  return {
    ...server,
    storeDir: dir.path,
    dispose: async () => {
      await server.stop();
      await dir.remove();
    },
  };
}

/** A client connected to a test server, streams created. */
export const testBus = (url: string, name = 'test'): Promise<Bus> => connectBus({ servers: [url], name, replicas: 1 });

/**
 * Every event about one job on the OCR stream, in stream order. A message that does not decode
 * (a malformed one a test put there on purpose) is skipped.
 */
export async function jobEvents(bus: Bus, jobId: string): Promise<BusEvent[]> {
  const info = await bus.jsm.streams.info(STREAMS.OCR);
  const out: BusEvent[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const m = await bus.jsm.streams.getMessage(STREAMS.OCR, { seq }).catch(() => null);
    if (!m) continue;
    let e: BusEvent;
    try {
      e = decodeEvent(m.subject, m.data);
    } catch {
      continue;
    }
    if ('job_id' in e.data && e.data.job_id === jobId) out.push(e);
  }
  return out;
}
