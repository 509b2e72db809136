import { describe, expect, it } from 'vitest';
import { accessOf, pairingCodeProblem } from './access.state.js';
import { ApiError } from './api.errors.js';

const answering = (outcome: 'ok' | ApiError) => ({
  session: async () => {
    if (outcome === 'ok') return { kind: 'device' as const, device: null };
    throw outcome;
  },
});

describe('access', () => {
  it('shows the list to a paired tablet and the pairing screen to one the server refuses', async () => {
    expect(await accessOf(answering('ok'))).toEqual({ kind: 'paired' });
    expect(await accessOf(answering(new ApiError(401, 'unauthorized', 'Not paired.')))).toEqual({ kind: 'unpaired', revoked: false });
  });

  it('does not ask a tablet to pair again when the server is merely away', async () => {
    const access = await accessOf(answering(new ApiError(0, 'network', "Could not reach RxScan. Check the tablet's Wi-Fi and try again.")));
    expect(access).toEqual({ kind: 'unreachable', message: expect.stringMatching(/Wi-Fi/) });
    expect((await accessOf(answering(new ApiError(502, 'upstream_unavailable', 'Not answering.')))).kind).toBe('unreachable');
  });

  it('checks the code as typed: any case, dashes and spaces ignored, eight characters', () => {
    expect(pairingCodeProblem('k7qm-3xpa')).toBeNull();
    expect(pairingCodeProblem(' K7QM 3XPA ')).toBeNull();
    expect(pairingCodeProblem('')).toMatch(/Type/);
    expect(pairingCodeProblem('K7QM-3XP')).toMatch(/8 letters.*7/);
    expect(pairingCodeProblem('K7QM-3XP!')).toMatch(/only letters and digits/);
  });
});
