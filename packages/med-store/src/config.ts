import path from 'node:path';
import { busOptionsFromEnv, type BusOptions } from '@rxscan/bus';
import { checkInternalSecret, ConfigError, envInt, envOptional, envString } from '@rxscan/service-kit';
import type { DatabaseConfig } from './database.connection.js';

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
  /** An event retried this long (the database busy, full or away) makes /readyz answer 503 `projection: "stuck"`. */
  projectionStuckAfterMs: number;
  /** MEDS_ADMIN_TOKEN; when unset, the secret in DATA_DIR/admin-token (made on first start). */
  adminToken: string | undefined;
  /** Shared with web, which signs every request it forwards; others need a device token or the admin secret. */
  internalSecret: string;
}

/** A guessable admin secret would open everything; refuse a short one at start-up. */
function envAdminToken(env: Record<string, string | undefined>): string | undefined {
  const token = envOptional(env, 'MEDS_ADMIN_TOKEN');
  if (token !== undefined && (token.length < 24 || /\s/.test(token))) {
    throw new ConfigError('MEDS_ADMIN_TOKEN must be at least 24 characters with no spaces (e.g. `openssl rand -base64 32`)');
  }
  return token;
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
    projectionStuckAfterMs: envInt(env, 'PROJECTION_STUCK_SECONDS', 30, 1, 86_400) * 1000,
    adminToken: envAdminToken(env),
    internalSecret: checkInternalSecret(envString(env, 'INTERNAL_SECRET')),
  };
}
