import { describe, expect, it } from 'vitest';
import { signInternal, verifyInternal } from './internal-caller.middleware.js';

const SECRET = 'a-secret-shared-by-web-and-the-services';

describe('requests signed by web', () => {
  it('are recognised for the route and moment they were signed for', () => {
    const now = Date.now();
    const header = signInternal(SECRET, 'GET', '/meds/medications?x=1', now);
    expect(verifyInternal(SECRET, header, 'GET', '/meds/medications?x=1', now + 1000)).toBe(true);
  });

  it('are refused on another route, method, secret, or long after', () => {
    const now = Date.now();
    const header = signInternal(SECRET, 'GET', '/meds/medications', now);
    expect(verifyInternal(SECRET, header, 'DELETE', '/meds/medications', now)).toBe(false);
    expect(verifyInternal(SECRET, header, 'GET', '/meds/devices', now)).toBe(false);
    expect(verifyInternal(`${SECRET}x`, header, 'GET', '/meds/medications', now)).toBe(false);
    expect(verifyInternal(SECRET, header, 'GET', '/meds/medications', now + 5 * 60_000)).toBe(false);
  });

  it('are refused when missing or malformed', () => {
    for (const header of [undefined, '', 't=1,s=abc', SECRET, ['t=1,s=2']]) {
      expect(verifyInternal(SECRET, header, 'GET', '/meds/medications')).toBe(false);
    }
  });
});
