import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { SessionView } from '@rxscan/contracts';
import { internalHeaders } from '@rxscan/service-kit';

/** med-store could not be asked, and nothing recent is known about the token. */
export class AuthUnavailableError extends Error {
  override readonly name = 'AuthUnavailableError';
}

export interface SessionClientOptions {
  /** med-store, which keeps the devices and answers `GET /meds/auth/session`. */
  medStoreUrl: URL;
  log: Logger;
  /** How long med-store's answer is trusted before it is asked again. */
  freshMs?: number;
  /**
   * How long a token med-store accepted keeps working while med-store cannot be asked
   * (it is restarting, or down): the most a revocation made meanwhile can be late.
   */
  staleMs?: number;
  /** INTERNAL_SECRET: the session checks are signed like the requests web forwards. */
  internalSecret?: string;
}

export interface SessionClient {
  /** The token's session, null for a token med-store refuses; throws AuthUnavailableError. */
  sessionOf(token: string): Promise<SessionView | null>;
  /** Drops what is known about the tokens `predicate` picks (revoked here); returns their keys. */
  forget(predicate: (session: SessionView, key: string) => boolean): string[];
}

interface Known {
  session: SessionView | null;
  /** When med-store gave this answer. */
  at: number;
}

export const tokenKey = (token: string) => createHash('sha256').update(token).digest('hex');
const MAX_KNOWN = 10_000;

/**
 * Asks med-store who a token belongs to, and remembers the answer: fresh for a few
 * seconds, then asked again. When med-store does not answer, a token it accepted
 * within `staleMs` is still let in, so uploads (which go to ingest) carry on while
 * med-store restarts; any answer med-store gives, a revocation included, replaces
 * what was remembered. A token never seen before needs med-store.
 *
 * Why not read the device table here: web is the one process facing the network,
 * and keeping the database's credentials out of it is worth a bounded staleness.
 */
export function createSessionClient(options: SessionClientOptions): SessionClient {
  const { log } = options;
  const freshMs = options.freshMs ?? 5000;
  const staleMs = options.staleMs ?? 10 * 60_000;
  const known = new Map<string, Known>();
  const asking = new Map<string, Promise<SessionView | null>>();
  /** After a failure med-store is not asked again for a moment: requests use what is known at once. */
  let quietUntil = 0;
  let outageSince = 0;

  async function ask(token: string, timeoutMs: number): Promise<SessionView | null> {
    let res: Response;
    try {
      res = await fetch(new URL('/meds/auth/session', options.medStoreUrl), {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(options.internalSecret && internalHeaders(options.internalSecret, 'GET', '/meds/auth/session')),
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new AuthUnavailableError('med-store did not answer the session check', { cause: err });
    }
    if (res.status === 401) return null;
    if (!res.ok) throw new AuthUnavailableError(`med-store answered the session check with ${res.status}`);
    return (await res.json()) as SessionView;
  }

  function remember(key: string, session: SessionView | null): void {
    known.delete(key);
    if (known.size >= MAX_KNOWN) known.delete(known.keys().next().value!);
    known.set(key, { session, at: Date.now() });
  }

  async function check(token: string, key: string, fallback: Known | undefined): Promise<SessionView | null> {
    const usable = fallback && Date.now() - fallback.at < staleMs;
    if (usable && Date.now() < quietUntil) return fallback.session;
    try {
      // With something to fall back on, a slow med-store is not waited for long.
      const session = await ask(token, usable ? 1500 : 5000);
      if (outageSince) log.info({ seconds: Math.round((Date.now() - outageSince) / 1000) }, 'med-store answers session checks again');
      outageSince = 0;
      remember(key, session);
      return session;
    } catch (err) {
      quietUntil = Date.now() + 1000;
      if (!outageSince) {
        outageSince = Date.now();
        log.warn({ err, stale_minutes: staleMs / 60_000 }, 'med-store does not answer session checks; tokens it accepted recently are still let in');
      }
      if (usable) return fallback.session;
      throw err;
    }
  }

  return {
    async sessionOf(token) {
      const key = tokenKey(token);
      const hit = known.get(key);
      // A refusal is remembered briefly too, so a flood of bad tokens does not become a flood on med-store.
      if (hit && Date.now() - hit.at < (hit.session ? freshMs : 1000)) return hit.session;
      // One question per token at a time, however many requests carry it.
      let pending = asking.get(key);
      if (!pending) {
        pending = check(token, key, hit).finally(() => asking.delete(key));
        asking.set(key, pending);
      }
      return pending;
    },
    forget(predicate) {
      const keys: string[] = [];
      for (const [key, entry] of known) {
        if (!entry.session || !predicate(entry.session, key)) continue;
        known.delete(key);
        keys.push(key);
      }
      return keys;
    },
  };
}
