/**
 * What a test does when the machine lacks something it needs (root to mount
 * a tmpfs, a resource counter, …). On a developer's machine it skips, so the
 * suite still runs in an unprivileged container; under CI it fails, because
 * a skip there would let whole areas of coverage vanish while the run stays
 * green.
 */

/**
 * True where a missing capability must fail the test: `CI=true` (what CI
 * services set, and what .ci/run exports) or `BATON_REQUIRE_CAPABILITIES=1`.
 */
export function capabilitiesRequired(): boolean {
  return process.env['CI'] === 'true' || process.env['BATON_REQUIRE_CAPABILITIES'] === '1';
}

/**
 * Skips the current test (or hook) because `missing` is not available here,
 * or throws an error naming `missing` and `fix` when {@link capabilitiesRequired}.
 */
export function skipOrFailWithout(context: Mocha.Context, missing: string, fix: string): never {
  if (capabilitiesRequired()) {
    throw new Error(`missing capability under CI: ${missing}. Fix: ${fix}`);
  }
  context.skip();
}

/** The fix to quote when `mount -t tmpfs` is refused. */
export const TMPFS_FIX =
  'run the tests as root or give the container CAP_SYS_ADMIN (docker run --cap-add SYS_ADMIN), ' +
  'or unset CI to let the disk-full tests skip locally';
