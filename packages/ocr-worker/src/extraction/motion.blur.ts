import FFT from 'fft.js';
import sharp from 'sharp';
import { DEFAULT_PREPROCESS, type GreyPixels } from './image.preprocess.js';

/**
 * A photo smeared by the hand moving while it was taken. Motion blur is a line: every point of
 * the label is drawn along a short straight path, so the photo is the sharp label averaged over
 * `length` pixels in one direction. Such an average (a box) has a spectrum with zeros at every
 * multiple of 1/length cycles a pixel: along the smear the photo's spectrum dips to nothing there,
 * where a sharp or evenly blurred photo falls off smoothly. The dips tell the direction and the
 * length (to a quarter pixel), and with them Richardson–Lucy deconvolution gives back print that
 * Tesseract reads: a 7-pixel smear that read as `Pere wellness PRETTY` reads
 * `Prairie Wellness Pharmacy`.
 *
 * Only a doubtful first reading has this looked for (label.extractor.ts), and the sharpened photo
 * is taken only when it reads clearly better, as a turned photo is. That guard matters: print whose
 * strokes are all one thickness of 6 px or more (large type, close up) is a box across its lines
 * of its own, and dips as a smear up the photo would.
 */

/** Samples in one stretch of a line whose spectrum is taken (a power of two). */
const SEGMENT = 256;
/** Lines looked at: every this many rows (or columns). */
const LINE_STEP = 4;
/** A stretch with less variation than this (grey levels, root mean square) is plain paper or background. */
const MIN_RMS = 5;
/**
 * Smears looked for, in pixels, and the step between lengths tried. Below 6 pixels the print's own
 * strokes and gaps put dips in a sharp photo's spectrum too, and Tesseract reads through such a smear.
 */
const MIN_LENGTH = 6;
const MAX_LENGTH = 24;
const LENGTH_STEP = 0.25;
/**
 * How far (natural log of power) the spectrum must dip at a length's zeros below the lobes between
 * them to be a smear. Measured on generated photos (motion.blur.test.ts and docs/extraction.md):
 * smears of 7–11 pixels dip 1.14–2.9; flat, tilted, phone, bottle, steep, turned, curved and
 * half-resolution photos at most 1.00 at any length from 6 (1,584 photos). Only a doubtful reading
 * is looked at for a smear at all, and the sharpened photo is taken only when it reads better, so
 * a sharp photo taken for a smeared one costs a read, not a field.
 */
export const MIN_DIP = 1.1;
/** Iterations of Richardson–Lucy: fewer leave the print soft, more bring up JPEG noise. */
const ITERATIONS = 20;

export interface MotionBlur {
  /** The direction of the smear: 'rows' (across the photo) or 'columns' (up and down it). */
  along: 'rows' | 'columns';
  /** Its length in pixels. */
  length: number;
  /** How deep the spectrum dips at the length's zeros (natural log of power). */
  dip: number;
}

/** The mean log power spectrum of stretches of lines along rows or columns (bins 0..SEGMENT/2), null when nothing varies. */
export function lineSpectrum(img: GreyPixels, along: MotionBlur['along']): Float64Array | null {
  const { data, width, height } = img;
  const [step, stride, n, lines] = along === 'rows' ? [1, width, width, height] : [width, 1, height, width];
  const fft = new FFT(SEGMENT);
  const out = fft.createComplexArray();
  const seg = new Float64Array(SEGMENT);
  const window = Float64Array.from({ length: SEGMENT }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (SEGMENT - 1)));
  const power = new Float64Array(SEGMENT / 2 + 1);
  let count = 0;
  for (let j = 0; j < lines; j += LINE_STEP) {
    for (let s0 = 0; s0 + SEGMENT <= n; s0 += SEGMENT) {
      let mean = 0;
      for (let i = 0; i < SEGMENT; i++) mean += data[j * stride + (s0 + i) * step]!;
      mean /= SEGMENT;
      let energy = 0;
      for (let i = 0; i < SEGMENT; i++) {
        const v = data[j * stride + (s0 + i) * step]! - mean;
        energy += v * v;
        seg[i] = v * window[i]!;
      }
      if (energy < SEGMENT * MIN_RMS * MIN_RMS) continue;
      fft.realTransform(out, seg);
      for (let k = 0; k <= SEGMENT / 2; k++) power[k]! += out[2 * k]! ** 2 + out[2 * k + 1]! ** 2;
      count++;
    }
  }
  if (count === 0) return null;
  return power.map((p) => Math.log(p / count + 1e-6));
}

/** The spectrum at a fractional bin. */
const at = (s: Float64Array, bin: number): number => {
  const i = Math.floor(bin);
  const t = bin - i;
  return i + 1 < s.length ? s[i]! * (1 - t) + s[i + 1]! * t : s[s.length - 1]!;
};

/** How far the spectrum dips at the zeros of a box `length` pixels long, below the lobes halfway between them (positive: a dip). */
export function dipAt(spectrum: Float64Array, length: number): number {
  const gap = SEGMENT / length;
  let [sum, k] = [0, 0];
  for (let zero = gap; zero + gap / 2 <= SEGMENT / 2 - 1; zero += gap) {
    sum += 0.5 * (at(spectrum, zero - gap / 2) + at(spectrum, zero + gap / 2)) - at(spectrum, zero);
    k++;
  }
  return k > 0 ? sum / k : 0;
}

/**
 * How much of a smear's dip is kept half a pixel either side of its length (their mean, as a share
 * of the dip). A smear's zeros are spread by the print's own widths and the JPEG, so lengths near
 * it dip nearly as far: 0.56–0.87 on the 80 smeared photos (7–11 px) of two fresh stretch batches.
 * A spike at one length is something printed at that exact width instead: a barcode's bars, hard
 * edged and whole multiples of one module wide, on three sharp dev-corpus labels keep 0.22–0.28 of
 * a dip of 1.26–1.34 at 6 px (with the barcode painted out, those labels dip nowhere).
 */
const MIN_BREADTH = 0.4;

/** The smear of a photo along its rows or columns, or null when neither dips MIN_DIP, broadly (MIN_BREADTH), at any length. */
export function measureMotionBlur(img: GreyPixels): MotionBlur | null {
  let best: (MotionBlur & { spectrum: Float64Array }) | null = null;
  for (const along of ['rows', 'columns'] as const) {
    const spectrum = lineSpectrum(img, along);
    if (!spectrum) continue;
    for (let length = MIN_LENGTH; length <= MAX_LENGTH; length += LENGTH_STEP) {
      const dip = dipAt(spectrum, length);
      if (!best || dip > best.dip) best = { along, length, dip, spectrum };
    }
  }
  if (!best || best.dip < MIN_DIP) return null;
  const { spectrum, ...blur } = best;
  const near = (dipAt(spectrum, blur.length - 0.5) + dipAt(spectrum, blur.length + 0.5)) / 2;
  return near >= MIN_BREADTH * blur.dip ? blur : null;
}

/**
 * `src` averaged along its rows over a box `length` long (centred; the two end taps take the
 * fraction), edges held at their last pixel: the blur itself, into `dst`.
 */
function boxRows(src: Float32Array, dst: Float32Array, width: number, height: number, length: number): void {
  const half = (length - 1) / 2;
  const full = Math.floor(half);
  const part = half - full;
  const sums = new Float64Array(width + 1);
  const px = (o: number, x: number) => src[o + (x < 0 ? 0 : x >= width ? width - 1 : x)]!;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) sums[x + 1] = sums[x]! + src[o + x]!;
    for (let x = 0; x < width; x++) {
      const [a, b] = [x - full, x + full];
      let s = sums[Math.min(b, width - 1) + 1]! - sums[Math.max(a, 0)]!;
      if (a < 0) s += -a * src[o]!;
      if (b >= width) s += (b - width + 1) * src[o + width - 1]!;
      if (part > 0) s += part * (px(o, a - 1) + px(o, b + 1));
      dst[o + x] = s / length;
    }
  }
}

/** The photo with the smear taken out (Richardson–Lucy along the smear), same size. */
export function deblurred(img: GreyPixels, blur: MotionBlur, iterations = ITERATIONS): GreyPixels {
  const { width, height } = img;
  const rows = blur.along === 'rows';
  const [w, h] = rows ? [width, height] : [height, width];
  // Work along rows: a smear up and down the photo is worked on transposed.
  const seen = new Float32Array(w * h);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) seen[rows ? y * w + x : x * w + y] = img.data[y * width + x]! + 1;
  const estimate = Float32Array.from(seen);
  const [blurredEstimate, ratio] = [new Float32Array(w * h), new Float32Array(w * h)];
  for (let k = 0; k < iterations; k++) {
    boxRows(estimate, blurredEstimate, w, h, blur.length);
    for (let i = 0; i < ratio.length; i++) ratio[i] = seen[i]! / Math.max(blurredEstimate[i]!, 1e-3);
    boxRows(ratio, blurredEstimate, w, h, blur.length); // the box is symmetric: its own transpose
    for (let i = 0; i < estimate.length; i++) estimate[i]! *= blurredEstimate[i]!;
  }
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = estimate[rows ? y * w + x : x * w + y]! - 1;
      data[y * width + x] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return { data, width, height };
}

/**
 * The photo upright and grey, no larger than preprocessing reads (DEFAULT_PREPROCESS.maxLongSide):
 * it would be read no larger, and the deconvolution's time grows with its pixels.
 */
async function greyPhoto(image: Buffer): Promise<GreyPixels> {
  const side = DEFAULT_PREPROCESS.maxLongSide;
  const { data, info } = await sharp(image).rotate().resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true }).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** A photo measured for a smear: upright and grey (greyPhoto), and its smear, null when it is not smeared. */
export interface MeasuredPhoto {
  grey: GreyPixels;
  blur: MotionBlur | null;
}

/** A photo measured for a smear (about 20 ms for a phone photo). */
export async function measurePhoto(image: Buffer): Promise<MeasuredPhoto> {
  const grey = await greyPhoto(image);
  return { grey, blur: measureMotionBlur(grey) };
}

/** The measured photo (upright, grey) with its smear taken out, as a PNG; null when it is not smeared. */
export async function unsmearedPhoto({ grey, blur }: MeasuredPhoto): Promise<{ photo: Buffer; blur: MotionBlur } | null> {
  if (!blur) return null;
  const sharper = deblurred(grey, blur);
  const photo = await sharp(sharper.data, { raw: { width: sharper.width, height: sharper.height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer();
  return { photo, blur };
}
