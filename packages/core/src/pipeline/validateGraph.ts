import type { DiagnosticSink } from './diagnosticSink';
import { findCycles } from './graph';
import type { SourceRange } from './sourceNode';
import { didYouMean, didYouMeanFix } from './suggest';
import type { ReadStage } from './validateStages';

/** Where each entry of a stage's `needs` is written, parallel to `spec.needs`. */
export function needRanges(stage: ReadStage): SourceRange[] {
  const field = stage.fields.get('needs');
  if (field === undefined) return [];
  const node = field.value;
  if (node.kind === 'seq') return node.items.map((item) => item.range);
  return stage.spec.needs.map(() => node.range);
}

/**
 * Checks `needs` across stages: unknown stage ids (with a suggestion),
 * repeated entries, and dependency cycles, each cycle reported once with
 * its path (`a → b → c → a`) at the first stage's `needs`.
 */
export function checkNeeds(
  stages: readonly ReadStage[],
  declared: ReadonlySet<string>,
  sink: DiagnosticSink,
): void {
  const graph = new Map<string, readonly string[]>();
  for (const stage of stages) {
    const ranges = needRanges(stage);
    const known: string[] = [];
    stage.spec.needs.forEach((need, index) => {
      const at = ranges[index] ?? stage.entry.keyRange;
      if (!declared.has(need)) {
        const others = [...declared].filter((id) => id !== stage.spec.id);
        sink.error(
          at,
          'unknown-need',
          `stages.${stage.spec.id}.needs: there is no stage "${need}".${didYouMean(need, others)}`,
          didYouMeanFix(need, others),
        );
      } else if (known.includes(need)) {
        sink.warning(
          at,
          'duplicate-need',
          `stages.${stage.spec.id}.needs: "${need}" is listed twice.`,
        );
      } else {
        known.push(need);
      }
    });
    graph.set(stage.spec.id, known);
  }
  const byId = new Map(stages.map((s) => [s.spec.id, s]));
  for (const cycle of findCycles(graph)) {
    const [first, second] = cycle;
    const stage = first === undefined ? undefined : byId.get(first);
    if (stage === undefined || second === undefined) continue;
    const index = stage.spec.needs.indexOf(second);
    const at = needRanges(stage)[index] ?? stage.entry.keyRange;
    const message =
      cycle.length === 2
        ? `stages.${first}.needs: the stage needs itself.`
        : `stages.${first}.needs: the stages depend on each other in a cycle: ${describeCycle(cycle)}. Remove one of these needs.`;
    sink.error(at, 'cycle', message);
  }
}

/** `a → b → c → a`, shortened in the middle when the cycle is very long. */
function describeCycle(cycle: readonly string[]): string {
  if (cycle.length <= 12) return cycle.join(' → ');
  const head = cycle.slice(0, 8);
  const tail = cycle.slice(-3);
  return `${head.join(' → ')} → … (${cycle.length - 11} more) … → ${tail.join(' → ')}`;
}
