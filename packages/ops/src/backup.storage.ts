import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { STREAMS } from '@rxscan/contracts';
import { backupDatabase, databaseFile, restoreDatabase, type DatabaseKind, type Positions } from './database-backup.storage.js';
import { readStreamMeta, restoreStream, snapshotStream } from './stream-snapshot.storage.js';

/**
 * A household's data in one folder: the database, both streams (JetStream's own
 * snapshots) and the photos. Taken in that order, so the parts agree without pausing
 * anything:
 * - the streams are snapshotted after the database, so they hold every event the copied
 *   tables reflect (and perhaps a few more, which med-store projects after a restore);
 * - the photos are copied after the streams, and ingest stores a photo before it
 *   publishes its job, so every job in the snapshot finds its photo.
 */
export interface BackupManifest {
  format: 'rxscan-backup/1';
  created_at: string;
  database: { kind: DatabaseKind; file: string; projected: Positions };
  streams: Record<string, { messages: number; last_seq: number }>;
  photos: number;
}

export interface DataPlaces {
  nc: NatsConnection;
  databaseUrl: string;
  databaseSchema?: string;
  /** DATA_DIR/prescription_images */
  imageDir: string;
}

const MANIFEST = 'rxscan-backup.json';
const STREAM_NAMES = Object.values(STREAMS);
/** Photos only: not ingest's temporary files of uploads in flight. */
const isPhoto = (name: string) => !name.startsWith('.');

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  return readdir(dir).then((names) => names.length === 0, () => true);
}

async function copyPhotos(from: string, to: string): Promise<number> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  const names = (await readdir(from).catch(() => [] as string[])).filter(isPhoto);
  let copied = 0;
  for (const name of names) {
    try {
      await copyFile(path.join(from, name), path.join(to, name));
      copied++;
    } catch (err) {
      // Deleted by retention since the listing: its job says so in the streams.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return copied;
}

/** The database copy: first, so the streams snapshotted next hold every event it reflects. */
export async function copyDatabase(into: string, from: DataPlaces, print: (line: string) => void): Promise<BackupManifest['database']> {
  const db = await backupDatabase(from.databaseUrl, into, from.databaseSchema);
  print(`database (${db.kind}): projected ${Object.entries(db.positions).map(([s, n]) => `${s} to ${n}`).join(', ') || 'nothing yet'}`);
  return { kind: db.kind, file: databaseFile(db.kind), projected: db.positions };
}

/** Both streams, consumers included: after the database, before the photos. */
export async function copyStreams(into: string, from: DataPlaces, print: (line: string) => void): Promise<BackupManifest['streams']> {
  const streams: BackupManifest['streams'] = {};
  for (const name of STREAM_NAMES) {
    const meta = await snapshotStream(from.nc, name, path.join(into, 'streams', name));
    streams[name] = { messages: meta.state.messages, last_seq: meta.state.last_seq };
    print(`stream ${name}: ${meta.state.messages} events (to ${meta.state.last_seq}), consumers included`);
  }
  return streams;
}

/** The photos: last, so every job the streams name finds its photo. */
export async function copyPhotosInto(into: string, from: DataPlaces, print: (line: string) => void): Promise<number> {
  const photos = await copyPhotos(from.imageDir, path.join(into, 'photos'));
  print(`photos: ${photos}`);
  return photos;
}

/** Writes what `parts` puts in a partial folder, with its manifest, then renames it to `dir` (new or empty). */
export async function writeBackup(dir: string, parts: (into: string) => Promise<Omit<BackupManifest, 'format' | 'created_at'>>): Promise<BackupManifest> {
  if (!(await isEmptyOrMissing(dir))) throw new Error(`${dir} is not empty: back up into a new folder`);
  const partial = `${dir.replace(/\/+$/, '')}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true, mode: 0o700 });
  try {
    const manifest: BackupManifest = { format: 'rxscan-backup/1', created_at: new Date().toISOString(), ...(await parts(partial)) };
    await writeFile(path.join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
    return manifest;
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
}

/** A backup of the system as it runs, in the order that keeps its parts consistent. */
export function backupTo(dir: string, from: DataPlaces, print: (line: string) => void): Promise<BackupManifest> {
  return writeBackup(dir, async (into) => ({
    database: await copyDatabase(into, from, print),
    streams: await copyStreams(into, from, print),
    photos: await copyPhotosInto(into, from, print),
  }));
}

export async function readManifest(dir: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as BackupManifest;
  } catch {
    throw new Error(`${dir} is not an RxScan backup (no ${MANIFEST})`);
  }
  if (manifest.format !== 'rxscan-backup/1') throw new Error(`${dir}: unknown backup format ${String(manifest.format)}`);
  return manifest;
}

export interface RestoreTarget extends DataPlaces {
  /** Copies of each stream (STREAM_REPLICAS) on the server restored into. */
  replicas: number;
  /** Points the projection consumers after what the restored database holds. */
  resumeProjection(positions: Positions): Promise<void>;
}

/**
 * Restores a backup into an empty place: no stream with events, no database file, no
 * photos. Afterwards med-store projects whatever the streams hold beyond the database.
 */
export async function restoreFrom(dir: string, to: RestoreTarget, print: (line: string) => void): Promise<BackupManifest> {
  const manifest = await readManifest(dir);
  const jsm = async (name: string) => {
    const reply = await to.nc.request(`$JS.API.STREAM.INFO.${name}`, '', { timeout: 10_000 });
    return reply.json<{ state?: { messages: number }; error?: { code: number } }>();
  };
  for (const name of Object.keys(manifest.streams)) {
    const info = await jsm(name);
    if (info.state && info.state.messages > 0) throw new Error(`stream ${name} already holds ${info.state.messages} events: restore into an empty system`);
  }
  if (!(await isEmptyOrMissing(to.imageDir)) && (await readdir(to.imageDir)).some(isPhoto)) throw new Error(`${to.imageDir} already holds photos: restore into an empty DATA_DIR`);
  if (manifest.database.kind === 'sqlite' && (await stat(to.databaseUrl).then(() => true, () => false))) {
    throw new Error(`${to.databaseUrl} exists: restore into an empty DATA_DIR (or move the old database aside)`);
  }

  const positions = await restoreDatabase(manifest.database.kind, path.join(dir, manifest.database.file), to.databaseUrl, to.databaseSchema);
  print(`database (${manifest.database.kind}) restored: projected ${Object.entries(positions).map(([s, n]) => `${s} to ${n}`).join(', ') || 'nothing yet'}`);
  for (const name of Object.keys(manifest.streams)) {
    // An empty stream made by a service that started on the empty system gives way.
    if ((await jsm(name)).state) await to.nc.request(`$JS.API.STREAM.DELETE.${name}`, '', { timeout: 10_000 });
    const meta = await readStreamMeta(path.join(dir, 'streams', name));
    const state = await restoreStream(to.nc, path.join(dir, 'streams', name), { replicas: to.replicas });
    if (state.last_seq !== meta.state.last_seq) throw new Error(`stream ${name} restored to ${state.last_seq}, the backup had ${meta.state.last_seq}`);
    print(`stream ${name} restored: ${state.messages} events (to ${state.last_seq})`);
  }
  await to.resumeProjection(positions);
  const photos = await copyPhotos(path.join(dir, 'photos'), to.imageDir);
  print(`photos restored: ${photos}`);
  return manifest;
}

export const isBackupDir = (dir: string) => stat(path.join(dir, MANIFEST)).then(() => true, () => false);
