import { describe, expect, it } from 'vitest';
import { announcementFor } from './scan.announcer.js';
import { newScan, withStatus } from './scan-job.state.js';
import { view } from './test.fixtures.js';

describe('announcementFor', () => {
  const sending = newScan('k', 2, 'image.jpg', 0);

  it('names the scan and its new phase', () => {
    expect(announcementFor([], [sending])).toBe('Scan 2: Sending photo…');
    const done = withStatus(sending, view('completed'), 5000);
    expect(announcementFor([sending], [done])).toBe('Scan 2: Done — Lisinopril');
    const failed = withStatus(sending, view('failed'), 5000);
    expect(announcementFor([sending], [failed])).toBe('Scan 2: Could not read. No text found on the photo');
  });

  it('stays quiet when only the clock moved', () => {
    expect(announcementFor([sending], [{ ...sending, startedAt: 1 }])).toBeNull();
  });

  it('announces a confirm and a refused action', () => {
    const done = withStatus(sending, view('completed'), 5000);
    expect(announcementFor([done], [{ ...done, action: 'confirmed' }])).toBe('Scan 2: confirmed and added to your list');
    expect(announcementFor([done], [{ ...done, actionProblem: 'Name: a medication needs a name.' }])).toBe('Scan 2: Name: a medication needs a name.');
  });
});
