import type { Pipeline, StageSpec } from '../pipeline/model';
import { matrixItems, unitId, unitIds } from '../run/fanOutItems';
import { pipelineIndex } from '../run/pipelineIndex';

/**
 * Unit ids as people type them in a selection (`baton run <file>
 * papers[a.pdf]`, `--force`, `--from`, `baton why`): `<stage>[<item>]` of a
 * declared stage that fans out, the item escaped as in a unit id (`%2F` for
 * `/`) or as it is. Each becomes the canonical unit id.
 */

/** A unit named in a selection: its fanned-out stage and its canonical id. */
export interface NamedUnit {
  readonly stage: string;
  readonly unit: string;
}

function decodeItem(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

function fansOut(spec: StageSpec): boolean {
  return spec.matrix !== undefined || spec.foreach !== undefined;
}

/**
 * The unit `name` stands for, an error in plain words when it names a stage
 * that does not fan out or a matrix item that does not exist, or undefined
 * when it is no unit id at all (a plain stage name). A `foreach:` item is
 * known only once the run lists it, so it is checked then.
 */
export function parseUnitName(pipeline: Pipeline, name: string): NamedUnit | string | undefined {
  const open = name.indexOf('[');
  if (open <= 0 || !name.endsWith(']')) return undefined;
  const stage = name.slice(0, open);
  const spec = pipelineIndex(pipeline).specs.get(stage);
  if (spec === undefined) return undefined;
  if (!fansOut(spec)) {
    return `'${name}' names an item, but stage '${stage}' has no matrix: or foreach:`;
  }
  const unit = unitId(stage, decodeItem(name.slice(open + 1, -1)));
  if (spec.matrix === undefined) return { stage, unit };
  const known = unitIds(stage, matrixItems(spec.matrix));
  if (known.includes(unit)) return { stage, unit };
  return `no item '${name.slice(open + 1, -1)}' in stage '${stage}'; its items are ${known.join(', ')}`;
}
