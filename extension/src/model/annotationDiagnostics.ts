import * as path from 'node:path';
import type { WireAnnotation, WireRange } from '@baton/protocol';
import type { RunView } from './runView';

/** A diagnostic to show in the Problems panel, without `vscode` types. */
export interface ProblemSpec {
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** 1-based. */
  readonly range: WireRange;
  /** Where it came from, shown as the diagnostic's source. */
  readonly source: string;
  readonly code?: string;
}

/**
 * Problems from stage annotations (`::error file=…,line=…::msg`), per absolute
 * file path. Only each pipeline's newest run counts, so fixed problems vanish
 * with the next run instead of piling up.
 */
export function annotationProblems(runs: readonly RunView[]): Map<string, ProblemSpec[]> {
  const newestPerPipeline = new Map<string, RunView>();
  for (const run of runs) {
    const seen = newestPerPipeline.get(run.summary.pipeline);
    if (!seen || run.summary.createdAt > seen.summary.createdAt) {
      newestPerPipeline.set(run.summary.pipeline, run);
    }
  }
  const byFile = new Map<string, ProblemSpec[]>();
  for (const run of newestPerPipeline.values()) {
    for (const { stage, annotation } of run.annotations) {
      const file = annotationPath(annotation, run.summary.file);
      if (file === undefined) continue;
      const list = byFile.get(file) ?? [];
      list.push(annotationProblem(run.summary.pipelineName, stage, annotation));
      byFile.set(file, list);
    }
  }
  return byFile;
}

/**
 * The absolute file an annotation is about: the path the server resolved, or
 * else `file` taken relative to the pipeline file's folder (where stages run
 * unless they set `cwd`).
 */
function annotationPath(annotation: WireAnnotation, pipelineFile: string): string | undefined {
  if (annotation.path !== undefined) return annotation.path;
  if (annotation.file === undefined) return undefined;
  return path.resolve(path.dirname(pipelineFile), annotation.file);
}

function annotationProblem(
  pipeline: string,
  stage: string,
  annotation: WireAnnotation,
): ProblemSpec {
  const message = annotation.title
    ? `${annotation.title}: ${annotation.message}`
    : annotation.message;
  return {
    severity: annotation.severity === 'notice' ? 'info' : annotation.severity,
    message,
    range: annotation.range ?? { line: 1, column: 1 },
    source: `Baton ${pipeline} › ${stage}`,
  };
}
