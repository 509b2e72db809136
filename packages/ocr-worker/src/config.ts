import os from 'node:os';
import path from 'node:path';
import { busOptionsFromEnv, type BusOptions, type WorkerConsumerOptions } from '@rxscan/bus';
import { envInt, envString } from '@rxscan/service-kit';
import { secondReaderConfig, type SecondReaderConfig } from './second-reader.config.js';

export interface WorkerConfig {
  dataDir: string;
  imageDir: string;
  /** tesseract.js's language cache (the model is read from the npm package, never downloaded). */
  cacheDir: string;
  /** Jobs recognised at once in this process, one warm tesseract.js worker each. */
  concurrency: number;
  workerName: string;
  opsPort: number;
  opsHost: string;
  consumer: WorkerConsumerOptions;
  bus: BusOptions;
  /** The household's AI service as a second, never trusted alone, reader; null when AI_READER_URL is unset. */
  secondReader: SecondReaderConfig | null;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  const concurrency = envInt(env, 'OCR_CONCURRENCY', 1, 1, 16);
  return {
    dataDir,
    imageDir: path.join(dataDir, 'prescription_images'),
    cacheDir: path.join(dataDir, 'tesseract-cache'),
    concurrency,
    workerName: envString(env, 'WORKER_NAME', `${os.hostname()}-${process.pid}`),
    opsPort: envInt(env, 'WORKER_PORT', 8083, 0, 65535),
    opsHost: envString(env, 'HOST', '127.0.0.1'),
    consumer: {
      ackWaitMs: envInt(env, 'OCR_ACK_WAIT_MS', 30_000, 1000, 600_000),
      maxDeliver: envInt(env, 'OCR_MAX_DELIVER', 5, 1, 100),
      maxAckPending: envInt(env, 'OCR_MAX_ACK_PENDING', 16, 1, 10_000),
    },
    bus: busOptionsFromEnv(env, 'ocr-worker'),
    secondReader: secondReaderConfig(env),
  };
}
