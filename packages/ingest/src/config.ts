import path from 'node:path';
import { busOptionsFromEnv, envInt, envString, type BusOptions } from '@rxscan/bus-contracts';

export interface IngestConfig {
  port: number;
  host: string;
  dataDir: string;
  imageDir: string;
  maxUploadBytes: number;
  /** Images with more pixels than this are refused (decompression bombs). */
  maxPixels: number;
  bus: BusOptions;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): IngestConfig {
  const dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  return {
    port: envInt(env, 'INGEST_PORT', 8081, 0, 65535),
    host: envString(env, 'HOST', '127.0.0.1'),
    dataDir,
    imageDir: path.join(dataDir, 'prescription_images'),
    maxUploadBytes: envInt(env, 'MAX_UPLOAD_MB', 15, 1, 200) * 1024 * 1024,
    maxPixels: envInt(env, 'MAX_IMAGE_MEGAPIXELS', 50, 1, 500) * 1_000_000,
    bus: busOptionsFromEnv(env, 'ingest'),
  };
}
