import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseCookies } from 'cookie';

/**
 * The token a request carries: `Authorization: Bearer …` (scripts, the ops CLI) or
 * the device cookie (the tablet's browser, which cannot set headers on a WebSocket).
 */
export function tokenOf(headers: IncomingHttpHeaders, cookieName: string): string | null {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1]! : null;
  }
  const cookie = headers.cookie ? parseCookies(headers.cookie)[cookieName] : undefined;
  return cookie || null;
}
