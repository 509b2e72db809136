/** A seeded generator (mulberry32): the same seed gives the same labels on every machine. */
export interface Random {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  range(lo: number, hi: number): number;
  /** A generator of its own for one label, so adding draws to one label never shifts the next. */
  fork(salt: number): Random;
}

export function createRandom(seed: number): Random {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r: Random = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
    range: (lo, hi) => lo + next() * (hi - lo),
    fork: (salt) => createRandom(Math.imul(seed ^ 0x9e3779b9, 31) + salt * 7919),
  };
  return r;
}
