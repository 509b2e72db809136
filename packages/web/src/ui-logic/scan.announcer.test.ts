import { describe, expect, it } from 'vitest';
import { announcementFor } from './scan.announcer.js';
import { newScan, restoredScan, withStatus } from './scan-job.state.js';
import { view } from './test.fixtures.js';

describe('announcementFor', () => {
  const sending = newScan('k', 2, 'image.jpg', 0);

  it('names the scan and its new phase', () => {
    expect(announcementFor([], [sending])).toBe('Scan 2: Sending photo…');
    const done = withStatus(sending, view('completed'), 5000);
    expect(announcementFor([sending], [done])).toBe('Scan 2: Done — Lisinopril.');
    const failed = withStatus(sending, view('failed'), 5000);
    expect(announcementFor([sending], [failed])).toBe('Scan 2: Could not read. No text found on the photo.');
  });

  it('stays quiet when only the clock moved', () => {
    expect(announcementFor([sending], [{ ...sending, startedAt: 1 }])).toBeNull();
  });

  it('announces a refused retry', () => {
    const failed = withStatus(sending, view('failed'), 5000);
    expect(announcementFor([failed], [{ ...failed, actionProblem: 'This scan is still processing.' }])).toBe('Scan 2: This scan is still processing.');
  });

  it('says plainly when the name could not be read', () => {
    const nameless = view('completed');
    nameless.result!.medication.name = null;
    expect(announcementFor([sending], [withStatus(sending, nameless, 5000)])).toBe('Scan 2: Done — the name could not be read.');
  });

  it('stays quiet about cards found again after a reload, then follows them', () => {
    const found = restoredScan('r', 3, view('processing'), 10_000);
    expect(announcementFor([], [found])).toBeNull();
    expect(announcementFor([found], [withStatus(found, view('completed'), 12_000)])).toBe('Scan 3: Done — Lisinopril.');
  });
});
