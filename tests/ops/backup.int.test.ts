/**
 * The one race a live backup has: events projected (and acknowledged) after the
 * database was copied but before the streams were snapshotted. The restored consumers
 * are then ahead of the restored tables; restore must point med-store's consumers back
 * to where the tables end, or those events would never reach them.
 */
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyMedication, type BusEvent } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { MedSchema, startMedStore, type MedStoreService } from '@rxscan/med-store';
import { copyDatabase, copyPhotosInto, copyStreams, restoreCommand, writeBackup } from '@rxscan/ops';
import { eventually, startTestNats, tempDir, testBus, type TempDir, type TestNats } from '@rxscan/test-utils';

const confirmed = (id: string, name: string): BusEvent => ({
  type: 'med.confirmed',
  data: { med_id: id, source_job_id: null, medication: { ...emptyMedication(), name }, confirmed_at: new Date().toISOString() },
});

describe('a backup taken while med-store projects', () => {
  let natsA: TestNats;
  let natsB: TestNats;
  let dirs: TempDir;
  let bus: Bus;
  let svc: MedStoreService | null = null;
  const start = async (nats: TestNats, dataDir: string) =>
    startMedStore({
      database: { url: path.join(dataDir, 'meds.sqlite') },
      bus: { servers: [nats.url], name: 'med-store', replicas: 1, manageStreams: true },
      imageDir: path.join(dataDir, 'prescription_images'),
      port: 0,
      host: '127.0.0.1',
      log: pino({ level: 'silent' }),
    });
  const publish = async (event: BusEvent) => (await publishEvent(bus.js, event)).seq;

  beforeAll(async () => {
    [natsA, natsB, dirs] = await Promise.all([startTestNats(), startTestNats(), tempDir('rxscan-backup-race-')]);
  });
  afterAll(async () => {
    await svc?.stop();
    await bus?.close();
    await Promise.all([natsA?.dispose(), natsB?.dispose()]);
    await dirs?.remove();
  });

  it('restores the events acknowledged between the database copy and the stream snapshot', async () => {
    const a = path.join(dirs.path, 'a');
    svc = await start(natsA, a);
    bus = await testBus(natsA.url);
    for (const [id, name] of [['race-med-0001', 'Metformin'], ['race-med-0002', 'Lisinopril']] as const) await svc.projector.waitFor('MEDS', await publish(confirmed(id, name)), 10_000);
    const from = { nc: bus.nc, databaseUrl: path.join(a, 'meds.sqlite'), imageDir: path.join(a, 'prescription_images') };
    const lines: string[] = [];
    await writeBackup(path.join(dirs.path, 'backup'), async (into) => {
      const database = await copyDatabase(into, from, (l) => lines.push(l));
      // Projected and acknowledged after the copy: the consumer's ack floor moves past the tables in the backup.
      await svc!.projector.waitFor('MEDS', await publish({ type: 'med.updated', data: { med_id: 'race-med-0001', changes: { dosage: '500 mg' }, updated_at: new Date().toISOString() } }), 10_000);
      await svc!.projector.waitFor('MEDS', await publish(confirmed('race-med-0003', 'Atorvastatin')), 10_000);
      await eventually(async () => ((await bus.jsm.consumers.info('MEDS', 'med-store')).ack_floor.stream_seq === 4 ? true : undefined), 5000);
      return { database, streams: await copyStreams(into, from, (l) => lines.push(l)), photos: await copyPhotosInto(into, from, (l) => lines.push(l)) };
    });
    expect(lines).toContain('database (sqlite): projected MEDS to 2');
    expect(lines).toContain('stream MEDS: 4 events (to 4), consumers included');
    await svc.stop();
    svc = null;

    const b = path.join(dirs.path, 'b');
    const out: string[] = [];
    await restoreCommand([path.join(dirs.path, 'backup')], (l) => out.push(l), { DATA_DIR: b, NATS_URL: natsB.url });
    expect(out).toContain('stream MEDS restored: 4 events (to 4)');
    svc = await start(natsB, b);
    const meds = await eventually(async () => {
      const rows = await svc!.orm.em.fork().find(MedSchema, {}, { orderBy: { id: 'asc' } });
      return rows.length === 3 && rows[0]!.dosage === '500 mg' ? rows : undefined;
    }, 20_000);
    expect(meds.map((m) => m.name)).toEqual(['Metformin', 'Lisinopril', 'Atorvastatin']);
  });
});
