import { describe, expect, it } from 'vitest';
import { jpegName, scaledSize } from './photo.encoder.js';

describe('the size a photo is sent at', () => {
  it('scales a camera photo to 2400 px on its long side, keeping its shape', () => {
    expect(scaledSize(4000, 3000)).toEqual({ width: 2400, height: 1800, scaled: true });
    expect(scaledSize(3000, 4000)).toEqual({ width: 1800, height: 2400, scaled: true });
  });

  it('leaves a photo that is small enough as it is', () => {
    expect(scaledSize(2400, 1600)).toEqual({ width: 2400, height: 1600, scaled: false });
    expect(scaledSize(1200, 900)).toMatchObject({ scaled: false });
  });

  it('names the scaled photo as a JPEG', () => {
    expect(jpegName('IMG_0042.HEIC')).toBe('IMG_0042.jpg');
    expect(jpegName('label')).toBe('label.jpg');
    expect(jpegName('.jpg')).toBe('photo.jpg');
  });
});
