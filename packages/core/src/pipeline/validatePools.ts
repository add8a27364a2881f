import type { DiagnosticSink } from './diagnosticSink';
import { readEntries, readNumber } from './readers';
import type { SourceEntry } from './sourceNode';
import { closestMatch, didYouMean, fixOf } from './suggest';
import type { ReadStage } from './validateStages';

const POOL_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Reads a mapping of pool names to whole numbers ≥ 1 (`pools:` or a stage's `resources:`). */
export function readPoolCounts(
  entry: SourceEntry,
  sink: DiagnosticSink,
  path: string,
): Record<string, number> | undefined {
  const entries = readEntries(entry.value, sink, path);
  if (entries === undefined) return undefined;
  const counts: Record<string, number> = {};
  for (const [name, item] of entries) {
    if (!POOL_NAME.test(name)) {
      sink.error(
        item.keyRange,
        'bad-id',
        `${path}: "${name}" is not a valid pool name (letters, digits, _ and -, starting with a letter or _).`,
      );
      continue;
    }
    const value = readNumber(item.value, sink, `${path}.${name}`, {
      integer: true,
      min: 1,
      max: 1000,
    });
    if (value !== undefined) counts[name] = value;
  }
  return counts;
}

/** Each stage's `resources:` must name declared pools and ask for no more than they hold. */
export function checkStageResources(
  stages: readonly ReadStage[],
  pools: Readonly<Record<string, number>>,
  sink: DiagnosticSink,
): void {
  const names = Object.keys(pools);
  for (const stage of stages) {
    const field = stage.fields.get('resources')?.value;
    if (field?.kind !== 'map') continue;
    for (const entry of field.entries) {
      const path = `stages.${stage.spec.id}.resources.${entry.key}`;
      const capacity = pools[entry.key];
      if (capacity === undefined) {
        sink.error(
          entry.keyRange,
          'unknown-pool',
          `${path}: there is no pool "${entry.key}"; declare it at the top level, e.g. pools: { ${entry.key}: 1 }.${didYouMean(entry.key, names)}`,
          fixOf(entry.key, closestMatch(entry.key, names)),
        );
        continue;
      }
      const wanted = stage.spec.resources?.[entry.key];
      if (wanted !== undefined && wanted > capacity) {
        sink.error(
          entry.value.range,
          'pool-too-small',
          `${path}: asks for ${wanted} slots, but pool "${entry.key}" has ${capacity}; the stage could never start.`,
        );
      }
    }
  }
}
