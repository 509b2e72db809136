import { describe, expect, it } from 'vitest';
import { holderGone, holderName } from './projection.lease.js';

// Above any pid_max Linux allows (2^22): no such process can exist.
const DEAD_PID = 4_194_304 + 12_345;

describe('who may take the projector lease before it expires', () => {
  it('takes it from a process of this machine that is gone (a med-store that crashed)', () => {
    expect(holderGone(holderName(DEAD_PID))).toBe(true);
  });

  it('leaves it to a process that is alive, this one included', () => {
    expect(holderGone(holderName(process.pid))).toBe(false);
    expect(holderGone(holderName(process.ppid))).toBe(false);
  });

  it('leaves it to a holder on another machine, or one it cannot read: those wait for the lease to expire', () => {
    expect(holderGone(holderName(DEAD_PID, 'another-host'))).toBe(false);
    expect(holderGone('replica-a')).toBe(false);
  });
});
