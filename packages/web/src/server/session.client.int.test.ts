import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthUnavailableError, createSessionClient } from './session.client.js';

const DEVICE = { kind: 'device', device: { id: 'dev-1', name: 'Kitchen', created_at: '', last_seen_at: null } };

/** A stand-in med-store on a fixed port: it knows the tokens in `valid`, and can be stopped and started again. */
class StandInMedStore {
  readonly valid = new Set<string>(['good']);
  asked = 0;
  private server: Server | null = null;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.asked++;
      const ok = this.valid.has((req.headers.authorization ?? '').replace('Bearer ', ''));
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? DEVICE : { error: { code: 'unauthorized' } }));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  get url(): URL {
    return new URL(`http://127.0.0.1:${this.port}`);
  }
}

describe('checking device tokens while med-store restarts', () => {
  let med: StandInMedStore;
  afterEach(async () => {
    await med?.stop();
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('keeps letting in a token med-store accepted recently while med-store does not answer', async () => {
    med = await new StandInMedStore().start();
    const client = createSessionClient({ medStoreUrl: med.url, log: pino({ level: 'silent' }), freshMs: 50, staleMs: 60_000 });
    expect(await client.sessionOf('good')).toMatchObject({ device: { id: 'dev-1' } });

    await med.stop();
    await sleep(60);
    // Past its fresh period, med-store cannot be asked: the earlier answer stands.
    expect(await client.sessionOf('good')).toMatchObject({ device: { id: 'dev-1' } });
    // A token never checked before cannot be let in without med-store.
    await expect(client.sessionOf('never-seen')).rejects.toBeInstanceOf(AuthUnavailableError);
  });

  it('lets a revocation win as soon as med-store answers again', async () => {
    med = await new StandInMedStore().start();
    const client = createSessionClient({ medStoreUrl: med.url, log: pino({ level: 'silent' }), freshMs: 50, staleMs: 60_000 });
    expect(await client.sessionOf('good')).not.toBeNull();
    await med.stop();
    med.valid.delete('good'); // revoked with `ops revoke` while med-store was down
    await sleep(60);
    expect(await client.sessionOf('good')).not.toBeNull();

    await med.start();
    // The client stays quiet for a second after a failure, then asks again.
    await sleep(1100);
    expect(await client.sessionOf('good')).toBeNull();
  });

  it('stops trusting a remembered token once med-store has been away longer than the staleness bound', async () => {
    med = await new StandInMedStore().start();
    const client = createSessionClient({ medStoreUrl: med.url, log: pino({ level: 'silent' }), freshMs: 20, staleMs: 200 });
    expect(await client.sessionOf('good')).not.toBeNull();
    await med.stop();
    await sleep(250);
    await expect(client.sessionOf('good')).rejects.toBeInstanceOf(AuthUnavailableError);
  });

  it('asks med-store once for many requests carrying the same token at the same moment', async () => {
    med = await new StandInMedStore().start();
    const client = createSessionClient({ medStoreUrl: med.url, log: pino({ level: 'silent' }) });
    const sessions = await Promise.all(Array.from({ length: 20 }, () => client.sessionOf('good')));
    expect(sessions.every((s) => s?.device?.id === 'dev-1')).toBe(true);
    expect(med.asked).toBe(1);
  });
});
