import { afterEach, describe, expect, it } from 'vitest';
import { STREAMS, type BusEvent } from '@rxscan/contracts';
import { startNatsServer, type NatsServerProcess } from '@rxscan/service-kit';
import { tempDir, testBus, type TempDir } from '@rxscan/test-utils';
import type { Bus } from './bus.connection.js';
import { publishEvent, whileBusAway } from './event.publisher.js';

const started = (jobId: string): BusEvent => ({
  type: 'ocr.started',
  data: { job_id: jobId, attempt: 1, worker: 'test', started_at: new Date().toISOString() },
});

describe('an event written while the bus is away', () => {
  let dir: TempDir;
  let server: NatsServerProcess;
  let bus: Bus;
  afterEach(async () => {
    await bus?.close();
    await server?.stop();
    await dir?.remove();
  });

  async function up(port?: number) {
    server = await startNatsServer({ storeDir: dir.path, ...(port && { port }) });
  }

  it('is stored once when the server comes back within the budget, having been tried again meanwhile', async () => {
    dir = await tempDir('rxscan-away-');
    await up();
    bus = await testBus(server.url);
    const port = server.port;
    await server.stop('SIGKILL');
    const retries: number[] = [];
    const written = whileBusAway(() => publishEvent(bus.js, started('away-job-0001'), { timeout: 1000 }), {
      budgetMs: 30_000,
      onRetry: (_err, waitMs) => retries.push(waitMs),
    });
    await new Promise((r) => setTimeout(r, 2500));
    await up(port);
    const ack = await written;
    expect(ack.stream).toBe(STREAMS.OCR);
    expect(retries.length).toBeGreaterThan(0);
    const info = await bus.jsm.streams.info(STREAMS.OCR);
    expect(info.state.messages).toBe(1);
  });

  it('fails with the bus error once the budget is spent, not before', async () => {
    dir = await tempDir('rxscan-away-');
    await up();
    bus = await testBus(server.url);
    await server.stop('SIGKILL');
    const t0 = Date.now();
    await expect(whileBusAway(() => publishEvent(bus.js, started('away-job-0002'), { timeout: 500 }), { budgetMs: 2000 })).rejects.toThrow(/timeout/i);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
  });

  it('does not try again a write the bus refuses for good', async () => {
    dir = await tempDir('rxscan-away-');
    await up();
    bus = await testBus(server.url);
    let tries = 0;
    // An event the schema refuses (a date that is not one) cannot be written however long one waits.
    const bad = { type: 'ocr.started', data: { job_id: 'x', attempt: 1, worker: 'test', started_at: 'yesterday' } } as unknown as BusEvent;
    await expect(
      whileBusAway(
        async () => {
          tries++;
          return publishEvent(bus.js, bad);
        },
        { budgetMs: 10_000 },
      ),
    ).rejects.toThrow();
    expect(tries).toBe(1);
  });
});
