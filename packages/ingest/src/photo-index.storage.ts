import { Kvm, type KV } from '@nats-io/kv';
import type { JetStreamClient } from '@nats-io/jetstream';
import { BUCKETS } from '@rxscan/contracts';

/** An upload ingest accepted: the job that reads it, and where its photo is. */
export interface PhotoUpload {
  job_id: string;
  image_key: string;
  /** Stream sequence of its `ocr.requested`. */
  seq: number;
  submitted_at: string;
}

/** The photos ingest has accepted, by SHA-256 of their bytes. */
export interface PhotoIndex {
  find(sha256: string): Promise<PhotoUpload | null>;
  /** Called only once the upload's job is on the bus: an entry always names a job that exists. */
  remember(sha256: string, upload: PhotoUpload): Promise<void>;
}

const decoder = new TextDecoder();

/**
 * The index as a JetStream key-value bucket (`photo-jobs`, one value per key): it lives with
 * the OCR stream it points into, in the same NATS store and with the same replicas, so an
 * entry never outlives the job it names, and ingest needs nothing but the bus to answer.
 * Opened (and created the first time) on first use.
 */
export function jetStreamPhotoIndex(js: () => JetStreamClient, replicas: number): PhotoIndex {
  let bucket: Promise<KV> | null = null;
  const open = () => {
    bucket ??= new Kvm(js())
      .create(BUCKETS.photoJobs, { history: 1, replicas, description: 'ingest: SHA-256 of each accepted photo -> its job' })
      .catch((err: unknown) => {
        bucket = null;
        throw err;
      });
    return bucket;
  };
  return {
    async find(sha256) {
      const entry = await (await open()).get(sha256);
      if (!entry || entry.operation !== 'PUT') return null;
      return JSON.parse(decoder.decode(entry.value)) as PhotoUpload;
    },
    async remember(sha256, upload) {
      await (await open()).put(sha256, JSON.stringify(upload));
    },
  };
}
