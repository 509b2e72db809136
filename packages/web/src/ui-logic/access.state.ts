import type { ApiClient } from './api.client.js';
import { isApiError } from './api.errors.js';

/** Whether this tablet may use the household's list, as the first screen decides. */
export type Access =
  | { kind: 'checking' }
  | { kind: 'paired' }
  /** `revoked`: it was paired a moment ago; say so rather than greet it as new. */
  | { kind: 'unpaired'; revoked: boolean }
  | { kind: 'unreachable'; message: string };

/** Asks the server who this tablet is: paired, not paired, or no answer at all (which is not "unpaired"). */
export async function accessOf(api: Pick<ApiClient, 'session'>): Promise<Access> {
  try {
    await api.session();
    return { kind: 'paired' };
  } catch (err) {
    if (isApiError(err) && err.status === 401) return { kind: 'unpaired', revoked: false };
    return { kind: 'unreachable', message: isApiError(err) ? err.message : 'Could not reach RxScan. Try again in a moment.' };
  }
}

/** What the person typed, checked before it is sent: eight letters and digits, dashes and spaces ignored. */
export function pairingCodeProblem(raw: string): string | null {
  const code = raw.toUpperCase().replace(/[\s-]/g, '');
  if (!code) return 'Type the pairing code.';
  if (!/^[A-Z0-9]+$/.test(code)) return 'The code has only letters and digits.';
  if (code.length !== 8) return `The code has 8 letters and digits; this has ${code.length}.`;
  return null;
}
