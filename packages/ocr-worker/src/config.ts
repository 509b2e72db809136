import os from 'node:os';
import path from 'node:path';
import { busOptionsFromEnv, type BusOptions, type WorkerConsumerOptions } from '@rxscan/bus';
import { ConfigError, envInt, envString } from '@rxscan/service-kit';
import { secondReaderConfig, type SecondReaderConfig } from './second-reader.config.js';
import { findTesseractBinary } from './extraction/native.engine.js';
import type { EngineChoice } from './extraction/types.js';

export interface WorkerConfig {
  dataDir: string;
  imageDir: string;
  /** tesseract.js's language cache (the model is read from the npm package, never downloaded). */
  cacheDir: string;
  /** Jobs recognised at once in this process, one warm tesseract.js worker each. */
  concurrency: number;
  /** The recognition engine, from OCR_ENGINE (and TESSERACT_PATH): see engineFromEnv. */
  engine: EngineChoice;
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
    engine: engineFromEnv(env),
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

/**
 * OCR_ENGINE: `native` (the tesseract command: TESSERACT_PATH, else the first on PATH; missing,
 * the worker refuses to start), `wasm` (tesseract.js, needs nothing but Node), or `auto`
 * (the default): native when the binary is there, tesseract.js otherwise.
 */
export function engineFromEnv(env: Record<string, string | undefined> = process.env): EngineChoice {
  const wanted = envString(env, 'OCR_ENGINE', 'auto').toLowerCase();
  if (wanted === 'wasm') return { kind: 'wasm' };
  if (wanted !== 'native' && wanted !== 'auto') throw new ConfigError(`OCR_ENGINE must be native, wasm or auto, got "${env.OCR_ENGINE}"`);
  const binary = findTesseractBinary(env);
  if (binary) return { kind: 'native', binary };
  if (wanted === 'auto') return { kind: 'wasm' };
  const where = env.TESSERACT_PATH?.trim() ? `TESSERACT_PATH (${env.TESSERACT_PATH.trim()}) is not an executable file` : 'no tesseract on PATH';
  throw new ConfigError(`OCR_ENGINE=native but ${where}: install tesseract-ocr (apt-get install tesseract-ocr), set TESSERACT_PATH, or use OCR_ENGINE=auto or wasm`);
}
