import { createStore, del, entries, set, type UseStore } from 'idb-keyval';

/** A scan the tablet could not send yet: its photos, kept until the server has them. */
export interface OutboxEntry {
  /** The card's key: the same card after a reload. */
  key: string;
  fileName: string;
  photos: Blob[];
  /** Tablet clock, ms: when the photos were taken. */
  createdAt: number;
}

/** Photos waiting to be sent, kept on the tablet (IndexedDB) across reloads. */
export interface Outbox {
  put(entry: OutboxEntry): Promise<void>;
  remove(key: string): Promise<void>;
  /** Oldest first. */
  all(): Promise<OutboxEntry[]>;
}

/** As stored: bytes and type rather than Blobs, which some browsers cannot keep in IndexedDB. */
interface Stored {
  key: string;
  fileName: string;
  photos: { type: string; bytes: ArrayBuffer }[];
  createdAt: number;
}

const byAge = (a: OutboxEntry, b: OutboxEntry) => a.createdAt - b.createdAt;

/** The outbox in this browser's IndexedDB; in memory only where there is none. */
export function browserOutbox(): Outbox {
  if (typeof indexedDB === 'undefined') return memoryOutbox();
  let store: UseStore | undefined;
  const db = () => (store ??= createStore('rxscan-outbox', 'scans'));
  return {
    async put(entry) {
      const photos = await Promise.all(entry.photos.map(async (p) => ({ type: p.type, bytes: await p.arrayBuffer() })));
      await set(entry.key, { ...entry, photos } satisfies Stored, db());
    },
    remove: (key) => del(key, db()),
    async all() {
      const rows = await entries<string, Stored>(db());
      return rows
        .map(([, s]) => ({ key: s.key, fileName: s.fileName, createdAt: s.createdAt, photos: s.photos.map((p) => new Blob([p.bytes], { type: p.type })) }))
        .sort(byAge);
    },
  };
}

export function memoryOutbox(): Outbox {
  const kept = new Map<string, OutboxEntry>();
  return {
    put: async (entry) => void kept.set(entry.key, entry),
    remove: async (key) => void kept.delete(key),
    all: async () => [...kept.values()].sort(byAge),
  };
}
