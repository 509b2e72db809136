import { BUCKETS, CONSUMERS, LANES, STREAMS, SUBJECTS } from '@rxscan/contracts';
import { HEALTH_STREAM, healthSubject } from './jetstream.setup.js';

/** What one service may publish and subscribe to on the bus. */
export interface BusPermissions {
  publish: string[];
  subscribe: string[];
}

export type BusRole = 'ingest' | 'ocr-worker' | 'med-store' | 'ops';

const { OCR, MEDS } = STREAMS;
const W = CONSUMERS.ocrWorker;
const WB = CONSUMERS.ocrWorkerBulk;
const M = CONSUMERS.medStore;
/** Replies to requests (JetStream acks, API answers) come back on inboxes. */
const INBOX = '_INBOX.>';
const readStreams = ['$JS.API.INFO', '$JS.API.STREAM.INFO.*', '$JS.API.STREAM.NAMES', '$JS.API.STREAM.LIST'];
/** Creating and updating a durable consumer goes through these API subjects. */
const manageConsumer = (stream: string, name: string) => [
  `$JS.API.CONSUMER.INFO.${stream}.${name}`,
  `$JS.API.CONSUMER.CREATE.${stream}.${name}`,
  `$JS.API.CONSUMER.CREATE.${stream}.${name}.>`,
  `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${name}`,
  `$JS.API.CONSUMER.MSG.NEXT.${stream}.${name}`,
  `$JS.ACK.${stream}.${name}.>`,
];

/** Creating, reading and writing one key-value bucket (its stream is KV_<bucket>). */
const useBucket = (bucket: string) => [
  `$JS.API.STREAM.CREATE.KV_${bucket}`,
  `$JS.API.STREAM.MSG.GET.KV_${bucket}`,
  `$JS.API.DIRECT.GET.KV_${bucket}`,
  `$JS.API.DIRECT.GET.KV_${bucket}.>`,
  `$KV.${bucket}.>`,
];

/**
 * Least privilege per role: ingest can only request OCR (and keep its photo index); the worker can only take
 * requests and report on them; med-store owns the streams, the projection and the
 * changes people make; ops (replay, rebuild, the operator CLI) may do anything.
 */
export const BUS_PERMISSIONS: Record<BusRole, BusPermissions> = {
  ingest: {
    // Its own index of photos already accepted (duplicate uploads).
    publish: [SUBJECTS.ocrRequested, healthSubject('ingest'), ...readStreams, ...useBucket(BUCKETS.photoJobs)],
    subscribe: [INBOX],
  },
  'ocr-worker': {
    publish: [SUBJECTS.ocrStarted, SUBJECTS.ocrCompleted, SUBJECTS.ocrFailed, healthSubject('ocr-worker'), ...readStreams, ...manageConsumer(OCR, W), ...manageConsumer(OCR, WB)],
    subscribe: [INBOX],
  },
  'med-store': {
    publish: [
      'med.>',
      // A person's retry (a retry of many on the bulk lane), the end of a job whose deliveries ran out, and retention.
      SUBJECTS.ocrRequested,
      LANES.bulk,
      SUBJECTS.ocrFailed,
      SUBJECTS.ocrPurged,
      // Says so when the projector parks an event it could not apply (on no stream).
      SUBJECTS.medStoreParked,
      healthSubject('med-store'),
      ...readStreams,
      `$JS.API.STREAM.CREATE.${OCR}`,
      `$JS.API.STREAM.UPDATE.${OCR}`,
      `$JS.API.STREAM.CREATE.${MEDS}`,
      `$JS.API.STREAM.UPDATE.${MEDS}`,
      `$JS.API.STREAM.CREATE.${HEALTH_STREAM}`,
      `$JS.API.STREAM.UPDATE.${HEALTH_STREAM}`,
      `$JS.API.STREAM.MSG.GET.${OCR}`,
      `$JS.API.DIRECT.GET.${OCR}`,
      `$JS.API.DIRECT.GET.${OCR}.>`,
      ...manageConsumer(OCR, M),
      ...manageConsumer(MEDS, M),
      `$JS.API.CONSUMER.INFO.${OCR}.${W}`,
      `$JS.API.CONSUMER.INFO.${OCR}.${WB}`,
    ],
    subscribe: [INBOX, `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${OCR}.${W}`, `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${OCR}.${WB}`],
  },
  ops: {
    publish: ['>'],
    subscribe: ['>'],
  },
};
