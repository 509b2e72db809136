import { readFileSync } from 'node:fs';
import { ConfigError, envInt, envOptional, envString } from '@rxscan/service-kit';

export type SecondReaderMode = 'text' | 'vision';

export interface SecondReaderConfig {
  /** The server's base URL; requests go to `{url}/v1/chat/completions`. */
  url: string;
  model: string;
  /** `text` sends the OCR text; `vision` sends the label photo (cropped, resized, metadata stripped). */
  mode: SecondReaderMode;
  /** The longest a label waits for the answer; then the job completes from OCR alone. */
  timeoutMs: number;
  /** Sent as a bearer token; read from AI_READER_API_KEY_FILE, never from the environment itself. */
  apiKey: string | null;
}

/**
 * The optional second reader's settings (docs/second-reader.md); null when AI_READER_URL is not
 * set, so nothing changes for a household without one. Fails naming the variable otherwise.
 */
export function secondReaderConfig(env: Record<string, string | undefined>): SecondReaderConfig | null {
  const raw = envOptional(env, 'AI_READER_URL');
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`AI_READER_URL must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`AI_READER_URL must be an http(s) URL, got "${raw}"`);
  if (url.username || url.password) throw new ConfigError('AI_READER_URL must not hold a user or password: put the key in AI_READER_API_KEY_FILE');
  const mode = envString(env, 'AI_READER_MODE', 'text');
  if (mode !== 'text' && mode !== 'vision') throw new ConfigError(`AI_READER_MODE must be text or vision, got "${mode}"`);
  const keyFile = envOptional(env, 'AI_READER_API_KEY_FILE');
  let apiKey: string | null = null;
  if (keyFile) {
    try {
      apiKey = readFileSync(keyFile, 'utf8').trim() || null;
    } catch (err) {
      throw new ConfigError(`AI_READER_API_KEY_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): ${keyFile}`);
    }
    if (!apiKey) throw new ConfigError(`AI_READER_API_KEY_FILE is empty: ${keyFile}`);
  }
  return {
    // "http://ollama:11434", "http://ollama:11434/" and "http://ollama:11434/v1" all name the same server.
    url: url.href.replace(/\/+$/, '').replace(/\/v1$/, ''),
    model: envString(env, 'AI_READER_MODEL'),
    mode,
    timeoutMs: envInt(env, 'AI_READER_TIMEOUT_MS', 8000, 100, 600_000),
    apiKey,
  };
}
