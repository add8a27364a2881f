import fc from 'fast-check';

/** The environment variable that replays a protocol fuzz run. */
export const FUZZ_SEED_VARIABLE = 'BATON_FUZZ_SEED';

/**
 * The seed of a fast-check property: `BATON_FUZZ_SEED` when set (to replay a
 * failure), else `fallback`, so a plain run draws the same cases every time and
 * a failure in CI is reproducible on a developer's machine. A value that is not
 * a 32-bit whole number is an error, not a silently different run.
 */
export function fuzzSeed(fallback: number): number {
  const text = process.env[FUZZ_SEED_VARIABLE];
  if (text === undefined || text === '') return fallback;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) {
    throw new Error(
      `${FUZZ_SEED_VARIABLE} must be a 32-bit whole number, got ${JSON.stringify(text)}`,
    );
  }
  return seed;
}

/**
 * `fc.assert` with a fixed seed; a failure's message starts with the seed and
 * the variable that replays it (fast-check's own report, with the shrunk
 * counterexample and its path, follows).
 */
export async function assertSeeded<Ts>(
  property: fc.IAsyncProperty<Ts>,
  seed: number,
  parameters: fc.Parameters<Ts> = {},
): Promise<void> {
  try {
    await fc.assert(property, { ...parameters, seed });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `fuzz failed with seed ${seed}; replay with ${FUZZ_SEED_VARIABLE}=${seed}\n${message}`,
      {
        cause: error,
      },
    );
  }
}
