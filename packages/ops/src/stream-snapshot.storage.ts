import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { createInbox, type NatsConnection } from '@nats-io/transport-node';

/**
 * JetStream's own stream snapshot and restore (the `$JS.API.STREAM.SNAPSHOT` and
 * `…RESTORE` requests behind `nats stream backup|restore`): the server hands out the
 * stream's files, consumers and their state included, as a compressed archive in
 * chunks, and takes them back the same way. Stored as the CLI stores it:
 * `DIR/backup.json` ({ config, state }) and `DIR/stream.tar.s2`, so
 * `nats stream restore DIR` reads it too.
 */

const CHUNK = 128 * 1024;
const API_TIMEOUT_MS = 10_000;

interface ApiError {
  error?: { code: number; description: string };
}
export interface StreamMeta {
  config: { name: string; num_replicas?: number } & Record<string, unknown>;
  state: { messages: number; bytes: number; first_seq: number; last_seq: number } & Record<string, unknown>;
}

const DATA = 'stream.tar.s2';
const META = 'backup.json';

async function api<T>(nc: NatsConnection, subject: string, body: unknown, timeout = API_TIMEOUT_MS): Promise<T> {
  const reply = await nc.request(subject, body === null ? new Uint8Array() : JSON.stringify(body), { timeout });
  const answer = reply.json<T & ApiError>();
  if (answer.error) throw new Error(`${subject}: ${answer.error.description} (${answer.error.code})`);
  return answer;
}

/** Snapshots `stream` into `dir`; resolves with the stream's state at the snapshot. */
export async function snapshotStream(nc: NatsConnection, stream: string, dir: string): Promise<StreamMeta> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const inbox = createInbox();
  // Subscribed before asking, so the first chunk cannot arrive before anyone listens.
  const chunks = nc.subscribe(inbox);
  const out = createWriteStream(path.join(dir, DATA), { mode: 0o600 });
  try {
    const meta = await api<StreamMeta>(nc, `$JS.API.STREAM.SNAPSHOT.${stream}`, { deliver_subject: inbox, no_consumers: false, chunk_size: CHUNK, jsck: false });
    for await (const m of chunks) {
      // An empty message ends the snapshot; a status header on it says it failed.
      if (m.data.length === 0) {
        const code = m.headers?.code ?? 0;
        if (code >= 300) throw new Error(`snapshot of ${stream} failed: ${m.headers?.description ?? code}`);
        break;
      }
      if (!out.write(m.data)) await once(out, 'drain');
      // Each chunk is acknowledged: the server sends the next ones only then.
      if (m.reply) m.respond();
    }
    out.end();
    await once(out, 'finish');
    await writeFile(path.join(dir, META), `${JSON.stringify({ config: meta.config, state: meta.state }, null, 2)}\n`, { mode: 0o600 });
    return meta;
  } finally {
    chunks.unsubscribe();
    out.destroy();
  }
}

/** The stream a snapshot folder holds, as it was when taken. */
export async function readStreamMeta(dir: string): Promise<StreamMeta> {
  return JSON.parse(await readFile(path.join(dir, META), 'utf8')) as StreamMeta;
}

/**
 * Restores a snapshot folder as a new stream (it must not exist), with `replicas` copies
 * when given; resolves with the restored stream's state.
 */
export async function restoreStream(nc: NatsConnection, dir: string, opts: { replicas?: number } = {}): Promise<StreamMeta['state']> {
  const meta = await readStreamMeta(dir);
  const config = { ...meta.config, ...(opts.replicas ? { num_replicas: opts.replicas } : {}) };
  const { deliver_subject } = await api<{ deliver_subject: string }>(nc, `$JS.API.STREAM.RESTORE.${config.name}`, { config, state: meta.state });
  const send = async (chunk: Uint8Array, timeout: number) => {
    const reply = await nc.request(deliver_subject, chunk, { timeout });
    if (reply.data.length > 0) {
      const answer = reply.json<ApiError & { state?: StreamMeta['state'] }>();
      if (answer.error) throw new Error(`restore of ${config.name} failed: ${answer.error.description} (${answer.error.code})`);
      return answer;
    }
    return null;
  };
  for await (const chunk of createReadStream(path.join(dir, DATA), { highWaterMark: CHUNK })) await send(chunk as Buffer, API_TIMEOUT_MS);
  // The empty message says "that was all"; the server now unpacks it, which may take a while.
  const done = await send(new Uint8Array(), 10 * 60_000);
  if (!done?.state) throw new Error(`restore of ${config.name}: the server did not confirm it`);
  return done.state;
}
