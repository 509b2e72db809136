import { connectBus, type Bus } from '@rxscan/bus';
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
