/**
 * A small seeded random number generator (mulberry32) so that chaos runs are
 * reproducible: the same seed gives the same pipeline shape and the same
 * schedule of kill delays.
 */

/** A source of reproducible random numbers. */
export interface Random {
  /** The seed this generator started from. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

/** A generator started from `seed` (any 32-bit whole number). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
  };
}

/**
 * The seed from `BATON_CHAOS_SEED` when set (so a failing campaign can be
 * replayed), else `fallback`. A value that is not a whole number is an error.
 */
export function seedFromEnvironment(fallback: number): number {
  const text = process.env.BATON_CHAOS_SEED;
  if (text === undefined || text === '') return fallback;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`BATON_CHAOS_SEED must be a whole number, got ${JSON.stringify(text)}`);
  }
  return seed;
}
