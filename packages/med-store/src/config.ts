import path from 'node:path';
import { busOptionsFromEnv, envInt, envOptional, envString, type BusOptions } from '@rxscan/bus-contracts';
import type { DatabaseConfig } from './database.js';

export interface MedStoreConfig {
  port: number;
  host: string;
  dataDir: string;
  imageDir: string;
  database: DatabaseConfig;
  bus: BusOptions;
  /** Photos of completed jobs are deleted this many days after completion (0: keep for ever). */
  imageRetentionDays: number;
  stuckAfterMs: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): MedStoreConfig {
  const dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  return {
    port: envInt(env, 'MED_STORE_PORT', 8082, 0, 65535),
    host: envString(env, 'HOST', '127.0.0.1'),
    dataDir,
    imageDir: path.join(dataDir, 'prescription_images'),
    database: {
      url: envOptional(env, 'DATABASE_URL') ?? path.join(dataDir, 'meds.sqlite'),
      schema: envOptional(env, 'DATABASE_SCHEMA'),
    },
    bus: busOptionsFromEnv(env, 'med-store', true),
    imageRetentionDays: envInt(env, 'IMAGE_RETENTION_DAYS', 30, 0, 36500),
    stuckAfterMs: envInt(env, 'STUCK_AFTER_MINUTES', 10, 1, 10_000) * 60_000,
  };
}
