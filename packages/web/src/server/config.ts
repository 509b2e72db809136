import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import { checkInternalSecret, ConfigError, envInt, envOptional, envString } from '@rxscan/service-kit';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the web server needs to start; read once from the environment by `loadConfig`. */
export interface WebConfig {
  port: number;
  host: string;
  /** Receives `POST /meds/extract` (the upload). */
  ingestUrl: URL;
  /** Receives every other `/meds/*` request and the `/meds/ws` WebSocket. */
  medStoreUrl: URL;
  /** The built tablet UI (index.html and assets). */
  uiDir: string;
  logLevel: LogLevel;
  /** Requests per minute one paired device may make (status polls included). */
  requestsPerMinute: number;
  /** Uploads per minute one paired device may make. */
  uploadsPerMinute: number;
  /** Where Prometheus scrapes `/metrics` (a port of its own: the web port faces the network). */
  metricsPort: number;
  metricsHost: string;
  /** Shared with ingest and med-store: web signs every request it forwards with it. */
  internalSecret: string;
  /**
   * Host names a request may name (besides any IP address): PUBLIC_URL's, ALLOWED_HOSTS,
   * HOST, this machine's name, localhost. Others get 421 (DNS rebinding).
   */
  allowedHosts: string[];
}

type Env = Record<string, string | undefined>;

/** The UI is built next to the compiled server: dist/ui beside dist/config.js. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('./ui/', import.meta.url));

function envUpstream(env: Env, name: string, fallback: string): URL {
  const raw = envString(env, name, fallback);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL such as http://127.0.0.1:8081, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must start with http:// or https://, got "${raw}"`);
  }
  // The proxy keeps the /meds/... path as is; a base path would silently be prepended to it.
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigError(`${name} must be just scheme, host and port (no path), got "${raw}"`);
  }
  return url;
}

function envLogLevel(env: Env): LogLevel {
  const raw = envString(env, 'LOG_LEVEL', 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return raw as LogLevel;
}

function envAllowedHosts(env: Env, host: string): string[] {
  const names = new Set(['localhost', hostname().toLowerCase(), `${hostname().toLowerCase()}.local`]);
  if (host !== '0.0.0.0' && host !== '::') names.add(host.toLowerCase());
  const publicUrl = envOptional(env, 'PUBLIC_URL');
  if (publicUrl) {
    if (!URL.canParse(publicUrl) || !/^https?:$/.test(new URL(publicUrl).protocol)) {
      throw new ConfigError(`PUBLIC_URL must be the address the tablets open, such as https://rxscan.home.example, got "${publicUrl}"`);
    }
    names.add(new URL(publicUrl).hostname.toLowerCase().replace(/^\[|\]$/g, ''));
  }
  for (const name of (envOptional(env, 'ALLOWED_HOSTS') ?? '').split(',')) if (name.trim()) names.add(name.trim().toLowerCase());
  return [...names];
}

/** Reads and validates the environment; throws a `ConfigError` naming the variable at fault. */
export function loadConfig(env: Env = process.env): WebConfig {
  const host = envString(env, 'HOST', '127.0.0.1');
  return {
    port: envInt(env, 'PORT', 8080, 0, 65535),
    host,
    ingestUrl: envUpstream(env, 'INGEST_URL', 'http://127.0.0.1:8081'),
    medStoreUrl: envUpstream(env, 'MED_STORE_URL', 'http://127.0.0.1:8082'),
    uiDir: DEFAULT_UI_DIR,
    logLevel: envLogLevel(env),
    requestsPerMinute: envInt(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    uploadsPerMinute: envInt(env, 'UPLOADS_PER_MINUTE', 60, 1, 100_000),
    metricsPort: envInt(env, 'WEB_METRICS_PORT', 8084, 0, 65535),
    metricsHost: envString(env, 'WEB_METRICS_HOST', host),
    internalSecret: checkInternalSecret(envString(env, 'INTERNAL_SECRET')),
    allowedHosts: envAllowedHosts(env, host),
  };
}
