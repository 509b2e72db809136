import type { GreyPixels } from './image.preprocess.js';

/**
 * A label wrapped round a bottle and photographed from the front: a point printed at angle t
 * round the bottle's axis (t from −a to a across the label) is seen at x = c + R·sin t. Its print
 * is squeezed across by cos t, so at the label's ends (cos a: 0.2–0.5 on a label round most of a
 * pill bottle's front) letters run together and Tesseract loses the words there. A Canadian
 * label's dispensed count opens its drug line (`60 TAB SERTRALINE`), so it is the count that is
 * lost most.
 *
 * The angle the label spans cannot be told from its outline: a label squeezed at its ends and one
 * printed narrower look alike. The unwrap is therefore one fixed look, `UNWRAP_ANGLE` a side (the
 * middle of the 63–80° the synthesiser's strongly curved photos span; measured on those only),
 * taken as a further reading of a label still in doubt (label.extractor.ts) and merged field by
 * field with the others, which keep what they read better.
 */
export const UNWRAP_ANGLE = (68 * Math.PI) / 180;

/**
 * The label's columns laid out evenly by angle round the bottle over the same width: output
 * column X is the angle t = (X / W − ½)·2a, read from the photo at x = W/2 + (W/2)·sin t / sin a.
 * The image is taken to be the label edge to edge (a cut to the paper); rows are unchanged.
 */
export function unwrapColumns(img: GreyPixels, angle: number = UNWRAP_ANGLE): GreyPixels {
  const { data, width: W, height: H } = img;
  if (W < 2) return { data: Uint8Array.from(data), width: W, height: H };
  const out = new Uint8Array(W * H);
  const x0s = new Int32Array(W);
  const fs = new Float32Array(W);
  for (let X = 0; X < W; X++) {
    const sx = Math.min(W - 1, Math.max(0, unwrappedToPhoto((X + 0.5) / W, angle) * W - 0.5));
    x0s[X] = Math.min(W - 2, Math.floor(sx));
    fs[X] = sx - x0s[X]!;
  }
  resampleRows(data, out, W, H, x0s, fs);
  return { data: out, width: W, height: H };
}

/** Each row read at the columns' sources, linearly between the two pixels either side (a plain function, so V8 keeps its compiled loop). */
function resampleRows(data: Uint8Array, out: Uint8Array, W: number, H: number, x0s: Int32Array, fs: Float32Array): void {
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let X = 0; X < W; X++) {
      const i = row + x0s[X]!;
      const f = fs[X]!;
      out[row + X] = Math.round(data[i]! * (1 - f) + data[i + 1]! * f);
    }
  }
}

/** Where an unwrapped column (a fraction of the width) was on the photo, as a fraction of the width. */
export function unwrappedToPhoto(u: number, angle: number = UNWRAP_ANGLE): number {
  return 0.5 + (0.5 * Math.sin((u - 0.5) * 2 * angle)) / Math.sin(angle);
}
