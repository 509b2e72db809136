import { describe, expect, it } from 'vitest';
import { skewFromBaselines } from './native.engine.js';
import { MIN_SKEW } from './text.skew.js';

describe('skewFromBaselines', () => {
  it('turns the page against the median slope of its long lines (text falling to the right is turned anticlockwise)', () => {
    const lines = [0.04, 0.05, 0.06, 0.3].map((radians) => ({ radians, symbols: 20 }));
    expect(skewFromBaselines(lines)).toBeCloseTo(-0.06, 6);
    expect(skewFromBaselines(lines.map((l) => ({ ...l, radians: -l.radians })))).toBeCloseTo(0.05, 6);
  });

  it('goes by lines of ten symbols or more when there are any, as make_rows does, and by all lines otherwise', () => {
    const long = [0.05, 0.05].map((radians) => ({ radians, symbols: 12 }));
    const short = [-0.2, -0.2, -0.2].map((radians) => ({ radians, symbols: 3 }));
    expect(skewFromBaselines([...long, ...short])).toBeCloseTo(-0.05, 6);
    expect(skewFromBaselines(short)).toBeCloseTo(0.2, 6);
  });

  it('reads a page as it is when it is level to within MIN_SKEW or has no lines', () => {
    expect(skewFromBaselines([])).toBe(0);
    expect(skewFromBaselines([{ radians: MIN_SKEW / 2, symbols: 30 }])).toBe(0);
  });
});
