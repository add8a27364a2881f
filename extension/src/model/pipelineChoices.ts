import type { WirePipeline } from '@baton/protocol';
import type { ServerMirror } from './serverMirror';

/** A row of the pipeline picker, or a separator between its groups. */
export type PipelineChoice =
  | {
      readonly label: string;
      readonly description?: string;
      readonly detail?: string;
      readonly pipeline: WirePipeline;
    }
  | { readonly separator: string };

/**
 * The pipeline picker's rows: pipelines run recently (newest run first), then
 * the other valid ones by name, then (unless `validOnly`) the invalid ones,
 * marked as not runnable with their error count and first problem.
 */
export function pipelineChoices(store: ServerMirror, validOnly: boolean): PipelineChoice[] {
  const lastRun = new Map<string, number>();
  for (const run of store.allRuns())
    if (!lastRun.has(run.summary.pipeline))
      lastRun.set(run.summary.pipeline, run.summary.createdAt);
  const valid = store.pipelines.filter((p) => p.valid);
  const recent = valid
    .filter((p) => lastRun.has(p.id))
    .sort((a, b) => (lastRun.get(b.id) ?? 0) - (lastRun.get(a.id) ?? 0));
  const others = valid
    .filter((p) => !lastRun.has(p.id))
    .sort((a, b) => a.name.localeCompare(b.name));
  const invalid = validOnly ? [] : store.pipelines.filter((p) => !p.valid);
  const row = (p: WirePipeline): PipelineChoice => ({
    label: `$(list-tree) ${p.name}`,
    description: `${p.stages.length} stage${p.stages.length === 1 ? '' : 's'}`,
    ...(p.description !== undefined ? { detail: p.description } : {}),
    pipeline: p,
  });
  const invalidRow = (p: WirePipeline): PipelineChoice => {
    const errors = p.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    return {
      label: `$(error) ${store.pipelineName(p.id)}`,
      description: `cannot run: ${errors.length} problem${errors.length === 1 ? '' : 's'}`,
      ...(first
        ? { detail: `${first.line}:${first.column} ${first.message} (pick to open the file)` }
        : {}),
      pipeline: p,
    };
  };
  return [
    ...section('Recently run', recent.map(row)),
    ...section(recent.length > 0 ? 'Other pipelines' : 'Pipelines', others.map(row)),
    ...section('Invalid (fix the file to run them)', invalid.map(invalidRow)),
  ];
}

function section(title: string, rows: readonly PipelineChoice[]): PipelineChoice[] {
  return rows.length > 0 ? [{ separator: title }, ...rows] : [];
}
