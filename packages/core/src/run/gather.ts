import type { StageSpec } from '../pipeline/model';
import type { Draft } from './draft';
import { specOf, stageOf, updateStage } from './draft';
import { shortHash } from './fanOutItems';
import type { ItemCounts } from './state';

/**
 * A fanned-out stage gathering its units: it waits for them by their counts
 * (never a walk of its units per event), then succeeds, fails or is skipped
 * at once, without a process of its own.
 */

function finished(items: ItemCounts): number {
  const { succeeded, failed, skipped, cancelled } = items.counts;
  return succeeded + failed + skipped + cancelled;
}

/** The units of a gathering stage that have not started, skipped after a failure (fail_fast). */
function stopNotStarted(draft: Draft, spec: StageSpec): void {
  for (const id of spec.needs) {
    const status = stageOf(draft, id).status;
    if (status !== 'pending' && status !== 'ready' && status !== 'waitingForPool') continue;
    updateStage(draft, id, (s) => {
      s.status = 'skipped';
      s.reason = `not run: another item of '${spec.id}' failed and fail_fast is on`;
    });
  }
}

/**
 * Each output of the units as a JSON list in unit order (null where a unit
 * did not set it), and a digest over the units' digests (undefined when one
 * is unknown), so dependants fingerprint what the items handed on.
 */
function gathered(
  draft: Draft,
  spec: StageSpec,
): { outputs: Record<string, string>; digest?: string } {
  const names = new Set<string>();
  const units = spec.needs.map((id) => stageOf(draft, id));
  for (const unit of units) for (const name of Object.keys(unit.outputs)) names.add(name);
  const outputs: Record<string, string> = {};
  for (const name of [...names].sort()) {
    outputs[name] = JSON.stringify(units.map((unit) => unit.outputs[name] ?? null));
  }
  const digests = units.map((unit) => (unit.status === 'failed' ? 'failed' : unit.digest));
  if (digests.some((d) => d === undefined)) return { outputs };
  return { outputs, digest: `items:${shortHash(digests.join('\n'))}:${digests.length}` };
}

/**
 * Brings a gathering stage to its end once every unit has: `failed` (with
 * how many) when a unit failed, `skipped` when every unit was skipped, else
 * `succeeded` with the gathered outputs. With `fail_fast` (the default),
 * the first failure skips the units that have not started. Returns true
 * when it changed the stage.
 */
export function settleGather(draft: Draft, id: string): boolean {
  const stage = stageOf(draft, id);
  const items = stage.items;
  if (stage.status !== 'pending' || items === undefined) return false;
  const spec = specOf(draft, id);
  const waiting = items.counts.pending + items.counts.ready + items.counts.waitingForPool;
  if (items.counts.failed > 0 && spec.failFast !== false && !spec.continueOnError && waiting > 0) {
    stopNotStarted(draft, spec);
  }
  const after = stageOf(draft, id).items ?? items;
  if (finished(after) < after.total) return false;
  const { failed, skipped, cancelled } = after.counts;
  const result = gathered(draft, spec);
  updateStage(draft, id, (s) => {
    s.endedAt = draft.at;
    s.outputs = result.outputs;
    if (result.digest !== undefined) s.digest = result.digest;
    if (failed > 0) {
      s.status = 'failed';
      s.reason = `${failed} of ${after.total} items failed`;
    } else if (cancelled > 0) {
      s.status = 'cancelled';
      s.reason = `${cancelled} of ${after.total} items were cancelled`;
    } else if (skipped === after.total && after.total > 0) {
      s.status = 'skipped';
      s.reason = 'every item was skipped';
    } else {
      s.status = 'succeeded';
    }
  });
  return true;
}

/** Whether a unit may start now under its stage's `max_parallel`. */
export function unitMayStart(draft: Draft, spec: StageSpec): boolean {
  const unit = spec.unit;
  if (unit === undefined) return true;
  const owner = specOf(draft, unit.stage);
  if (owner.maxParallel === undefined) return true;
  const counts = stageOf(draft, unit.stage).items?.counts;
  return counts === undefined || counts.running + counts.waiting < owner.maxParallel;
}
