import { describe, expect, it } from 'vitest';
import { uprightBoxOf, type ReadingFrame } from './field.boxes.js';
import { squareToQuad } from './label.perspective.js';

const frame = (over: Partial<ReadingFrame> = {}): ReadingFrame => ({ uprightWidth: 4000, uprightHeight: 3000, region: null, width: 2400, height: 1800, radians: 0, ...over });

describe('a field box carried back to the upright photo', () => {
  it('given a photo scaled down for reading, when a word box is mapped back, then it is the same fraction of the photo', () => {
    expect(uprightBoxOf([{ x0: 240, y0: 180, x1: 1200, y1: 360 }], frame())).toEqual({ x: 0.1, y: 0.1, w: 0.4, h: 0.1 });
  });

  it('given a photo cut to its label, when a box is mapped back, then the crop offset and scale are undone', () => {
    // The label is the photo's right half (2000×3000 upright px), read at 1200×1800.
    const f = frame({ region: { left: 2000, top: 0, width: 2000, height: 3000 }, width: 1200, height: 1800 });
    expect(uprightBoxOf([{ x0: 0, y0: 900, x1: 600, y1: 1080 }], f)).toEqual({ x: 0.5, y: 0.5, w: 0.25, h: 0.1 });
  });

  it('given several boxes of one field, then their union is returned; given none, nothing', () => {
    const boxes = [{ x0: 240, y0: 180, x1: 480, y1: 360 }, { x0: 960, y0: 540, x1: 1200, y1: 720 }];
    expect(uprightBoxOf(boxes, frame())).toEqual({ x: 0.1, y: 0.1, w: 0.4, h: 0.3 });
    expect(uprightBoxOf([], frame())).toBeNull();
  });

  it('given a deskewed reading, then the box grows to hold the turned-back corners and stays inside the photo', () => {
    const straight = uprightBoxOf([{ x0: 1000, y0: 800, x1: 1400, y1: 1000 }], frame())!;
    const turned = uprightBoxOf([{ x0: 1000, y0: 800, x1: 1400, y1: 1000 }], frame({ radians: 0.05 }))!;
    expect(turned.w).toBeGreaterThan(straight.w);
    expect(turned.h).toBeGreaterThan(straight.h);
    // About the centre: a box at the centre stays about where it was.
    expect(Math.abs(turned.x + turned.w / 2 - (straight.x + straight.w / 2))).toBeLessThan(0.01);
    const edge = uprightBoxOf([{ x0: 0, y0: 0, x1: 2400, y1: 100 }], frame({ radians: 0.1 }))!;
    expect(edge.x).toBeGreaterThanOrEqual(0);
    expect(edge.x + edge.w).toBeLessThanOrEqual(1);
  });

  it('given a steep view drawn flat before reading, then a box is carried back through its homography', () => {
    // The label was the quad with corners (0.1,0) (0.9,0.2) (0.9,0.8) (0.1,1) of the photo, drawn onto the whole frame.
    const f = frame({ homography: squareToQuad([[0.1, 0], [0.9, 0.2], [0.9, 0.8], [0.1, 1]]) });
    const whole = uprightBoxOf([{ x0: 0, y0: 0, x1: 2400, y1: 1800 }], f)!;
    expect(whole).toEqual({ x: 0.1, y: 0, w: 0.8, h: 1 });
    // The top-left word of the flat label lies at the quad's top-left corner.
    const corner = uprightBoxOf([{ x0: 0, y0: 0, x1: 240, y1: 180 }], f)!;
    expect(corner.x).toBeCloseTo(0.1, 3);
    expect(corner.y).toBeCloseTo(0, 3);
  });
});
