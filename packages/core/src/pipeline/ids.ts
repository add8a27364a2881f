import type { DiagnosticSink } from './diagnosticSink';
import type { SourcePosition } from './model';
import type { SourceEntry } from './sourceNode';

/** What stage and input ids look like (also the JSON Schema's property-name pattern). */
export const ID_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]*$';

/** What environment variable names look like. */
export const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

const ID_REGEX = new RegExp(ID_PATTERN);

/** True when `id` is a valid stage or input id. */
export function isValidId(id: string): boolean {
  return ID_REGEX.test(id);
}

/** Reports an invalid stage or input id; returns whether the id is valid. */
export function checkId(
  entry: SourceEntry,
  sink: DiagnosticSink,
  what: 'stage' | 'input',
): boolean {
  if (isValidId(entry.key)) return true;
  sink.error(
    entry.keyRange,
    'bad-id',
    `"${entry.key}" is not a valid ${what} id: start with a letter or "_", then use only letters, digits, "_" and "-".`,
  );
  return false;
}

/** The 1-based position of an entry's key, for `position` fields of the model. */
export function positionOf(entry: SourceEntry, sink: DiagnosticSink): SourcePosition {
  const at = sink.lines.linePos(entry.keyRange.start);
  return { line: at.line, column: at.col };
}

/**
 * Reports ids that differ but become the same environment variable name
 * (`build-x` and `build_x` are both `BUILD_X`), which would let one
 * expression read the other's value. Takes the map `readEntries` built, so
 * each id comes once and two entries that meet always differ.
 */
export function checkIdCollisions(
  entries: ReadonlyMap<string, SourceEntry>,
  sink: DiagnosticSink,
  what: 'stage' | 'input',
): void {
  const byEnvName = new Map<string, SourceEntry>();
  for (const entry of entries.values()) {
    const envName = entry.key.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    const first = byEnvName.get(envName);
    if (first === undefined) {
      byEnvName.set(envName, entry);
    } else {
      sink.error(
        entry.keyRange,
        'ambiguous-id',
        `The ${what} ids "${first.key}" and "${entry.key}" differ only in case or "-"/"_", so they map to the same environment variable; rename one.`,
      );
    }
  }
}
