/**
 * The parts of a unit's fingerprint. A unit is what the record keeps one
 * success of: today a stage (key: its id); with fan-out (issue 13) one item
 * of a stage (key: `<stage>[<item>]`). Every value is a hash computed by the
 * shell, never a raw value, so the record holds no secrets.
 */
export interface FingerprintParts {
  /** The resolved `run` text. */
  readonly command: string;
  /** The resolved working directory. */
  readonly cwd: string;
  /** Each resolved environment variable (pipeline and stage level), by name. */
  readonly env: Readonly<Record<string, string>>;
  /** Each pipeline input the unit reads, by input id. */
  readonly inputs: Readonly<Record<string, string>>;
  /** The output digest of each stage it needs or reads from, by stage id. */
  readonly upstream: Readonly<Record<string, string>>;
  /** The content of each file its `deps:` matched, by path relative to its working directory. */
  readonly deps: Readonly<Record<string, string>>;
  /**
   * The Python environment of a stage with `venv:`: its folder and its
   * `pyvenv.cfg` (which names the interpreter and its version), so a venv
   * rebuilt on another Python runs the stage again.
   */
  readonly venv?: string;
}

/** How many changed names a reason lists before it says "and N more". */
const LISTED = 3;

function changedKeys(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => before[key] !== after[key]).sort();
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

/**
 * What changed between a unit's recorded fingerprint parts and its current
 * ones, in plain words, most telling first: "input pillars changed",
 * "outputs of translate changed", "deps changed: data/papers/03.txt",
 * "command changed", "working directory changed", "env MODEL changed".
 */
export function describeChanges(before: FingerprintParts, after: FingerprintParts): string[] {
  const reasons: string[] = [];
  for (const input of changedKeys(before.inputs, after.inputs)) {
    reasons.push(`input ${input} changed`);
  }
  for (const stage of changedKeys(before.upstream, after.upstream)) {
    reasons.push(`outputs of ${stage} changed`);
  }
  const deps = changedKeys(before.deps, after.deps);
  if (deps.length > 0) reasons.push(`deps changed: ${listed(deps)}`);
  if (before.command !== after.command) reasons.push('command changed');
  if (before.cwd !== after.cwd) reasons.push('working directory changed');
  if (before.venv !== after.venv) reasons.push('python environment changed');
  const env = changedKeys(before.env, after.env);
  if (env.length > 0) reasons.push(`env ${listed(env)} changed`);
  return reasons;
}
