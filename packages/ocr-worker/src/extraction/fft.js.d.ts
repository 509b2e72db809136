/** The parts of fft.js (indutny, MIT) used here: a radix-4 FFT of a power-of-two size. */
declare module 'fft.js' {
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    /** Interleaved re, im pairs, `2 * size` long. */
    createComplexArray(): number[];
    /** The transform of real input: fills the first half of `out` (pairs 0..size/2), the rest being its mirror. */
    realTransform(out: number[], input: ArrayLike<number>): void;
  }
}
