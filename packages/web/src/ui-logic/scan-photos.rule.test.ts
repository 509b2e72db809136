import { describe, expect, it } from 'vitest';
import { boxOnPhoto, boxesOf, containedRect, imagesOf, reviewPhotosOf } from './scan-photos.rule.js';

describe('the photos of a scan', () => {
  const images = [
    { index: 1, url: '/meds/extract/j1/image/1', width: 900, height: 1200 },
    { index: 0, url: '/meds/extract/j1/image/0', width: 1200, height: 900 },
  ];

  it('are those taken on this tablet while the page lives, in order', () => {
    expect(reviewPhotosOf({ local: ['blob:a', 'blob:b'], view: { images }, jobId: 'j1' })).toEqual([
      { url: 'blob:a', index: 0 },
      { url: 'blob:b', index: 1 },
    ]);
  });

  it('else every photo the status lists, in the order taken', () => {
    expect(reviewPhotosOf({ view: { images }, jobId: 'j1' }).map((p) => p.url)).toEqual(['/meds/extract/j1/image/0', '/meds/extract/j1/image/1']);
    expect(imagesOf({ images: 'nonsense' })).toEqual([]);
  });

  it("else the job's one photo, or as many as the medication says", () => {
    expect(reviewPhotosOf({ jobId: 'j1' })).toEqual([{ url: '/meds/extract/j1/image', index: 0 }]);
    expect(reviewPhotosOf({ jobId: 'j1', count: 2 }).map((p) => p.url)).toEqual(['/meds/extract/j1/image/0', '/meds/extract/j1/image/1']);
    expect(reviewPhotosOf({ jobId: 'j1', count: 0 })).toEqual([]);
    expect(reviewPhotosOf({})).toEqual([]);
  });
});

describe('the boxes of a reading', () => {
  it('keeps the well-formed boxes and drops the rest', () => {
    const boxes = boxesOf({
      boxes: {
        name: { image: 0, x: 0.1, y: 0.2, w: 0.5, h: 0.05 },
        dosage: { image: 0, x: 0.1, y: 0.3, w: 0, h: 0.05 },
        refills: { image: '0' },
      },
    });
    expect(boxes).toEqual({ name: { image: 0, x: 0.1, y: 0.2, w: 0.5, h: 0.05 } });
    expect(boxesOf(undefined)).toEqual({});
    expect(boxesOf({ boxes: null })).toEqual({});
  });
});

describe('a box on the photo as shown', () => {
  it('fits a wide photo in a tall frame, centred, and places the box on it', () => {
    const photo = containedRect({ width: 2000, height: 1000 }, { width: 400, height: 600 });
    expect(photo).toEqual({ left: 0, top: 200, width: 400, height: 200 });
    const box = boxOnPhoto({ image: 0, x: 0.25, y: 0.5, w: 0.5, h: 0.1 }, photo);
    expect([box.left, box.top, box.width, box.height].map((n) => Math.round(n * 1000) / 1000)).toEqual([100, 300, 200, 20]);
  });

  it('clips a box that runs off the photo', () => {
    const photo = { left: 0, top: 0, width: 100, height: 100 };
    const box = boxOnPhoto({ image: 0, x: 0.9, y: -0.1, w: 0.3, h: 0.2 }, photo);
    expect([box.left, box.top, box.width, box.height].map((n) => Math.round(n * 1000) / 1000)).toEqual([90, 0, 10, 10]);
  });
});
