import path from 'node:path';
import { busOptionsFromEnv, type BusOptions } from '@rxscan/bus';
import { checkInternalSecret, envInt, envString } from '@rxscan/service-kit';

export interface IngestConfig {
  port: number;
  host: string;
  dataDir: string;
  imageDir: string;
  maxUploadBytes: number;
  /** All photos of one scan together (up to four): bounds what one upload holds in memory. */
  maxScanBytes: number;
  /** Images with more pixels than this are refused (decompression bombs). */
  maxPixels: number;
  /** Uploads being received at once; more get 429. */
  maxConcurrentUploads: number;
  /** Free space to keep on the image store's disk; an upload that would eat into it gets 507. */
  minFreeDiskBytes: number;
  bus: BusOptions;
  /** Shared with web, which signs every request it forwards; nothing else may upload here. */
  internalSecret: string;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): IngestConfig {
  const dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  return {
    port: envInt(env, 'INGEST_PORT', 8081, 0, 65535),
    host: envString(env, 'HOST', '127.0.0.1'),
    dataDir,
    imageDir: path.join(dataDir, 'prescription_images'),
    maxUploadBytes: envInt(env, 'MAX_UPLOAD_MB', 15, 1, 200) * 1024 * 1024,
    maxScanBytes: envInt(env, 'MAX_SCAN_MB', 30, 1, 800) * 1024 * 1024,
    maxPixels: envInt(env, 'MAX_IMAGE_MEGAPIXELS', 50, 1, 500) * 1_000_000,
    maxConcurrentUploads: envInt(env, 'MAX_CONCURRENT_UPLOADS', 8, 1, 1000),
    minFreeDiskBytes: envInt(env, 'MIN_FREE_DISK_MB', 512, 0, 1_000_000) * 1024 * 1024,
    bus: busOptionsFromEnv(env, 'ingest'),
    internalSecret: checkInternalSecret(envString(env, 'INTERNAL_SECRET')),
  };
}
