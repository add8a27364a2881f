import type { AnsweredPrompt } from './answeredPrompts';
import { answeredInEvents } from './answeredPrompts';
import type {
  PromptInfo,
  RunSnapshot,
  RunSummary,
  StageDiagnosis,
  StageSnapshot,
  WireAnnotation,
} from '@baton/protocol';

/** An annotation a stage printed, with where it came from. */
export interface AnnotationEntry {
  readonly stage: string;
  readonly attempt: number;
  readonly annotation: WireAnnotation;
}

/**
 * The client's projection of one run: the latest summary plus whatever
 * details notifications and snapshots told us. Immutable; the store replaces
 * it on every change.
 */
export interface RunView {
  readonly summary: RunSummary;
  /** Stages in declaration order. Partial until `detailed`. */
  readonly stages: readonly StageSnapshot[];
  /** True once a full snapshot (`baton/getRun`) was applied, so `stages` lists every stage. */
  readonly detailed: boolean;
  /** Open prompts, oldest first. */
  readonly prompts: readonly PromptInfo[];
  readonly annotations: readonly AnnotationEntry[];
  /** The latest watchdog diagnosis per stage. */
  readonly diagnoses: Readonly<Record<string, StageDiagnosis>>;
  /** The latest answered question per stage. */
  readonly answered: Readonly<Record<string, AnsweredPrompt>>;
  /** The Markdown its stages wrote to `$BATON_SUMMARY`, in stage order, as of the last snapshot. */
  readonly summaryMarkdown?: string;
}

/** Builds a run view from a full snapshot (`baton/getRun`). */
export function runViewFromSnapshot(snapshot: RunSnapshot, previous?: RunView): RunView {
  const annotations: AnnotationEntry[] = [];
  const diagnoses: Record<string, StageDiagnosis> = {};
  for (const event of snapshot.recentEvents) {
    if (event.kind === 'annotation') annotations.push(event);
    if (event.kind === 'stageDiagnosed') diagnoses[event.stage] = event.diagnosis;
  }
  return {
    summary: summaryOf(snapshot),
    stages: snapshot.stages,
    detailed: true,
    prompts: snapshot.prompts,
    annotations: mergeAnnotations(previous?.annotations ?? [], annotations),
    diagnoses: { ...previous?.diagnoses, ...diagnoses },
    answered: { ...previous?.answered, ...answeredInEvents(snapshot.recentEvents) },
    ...(snapshot.summary !== undefined ? { summaryMarkdown: snapshot.summary } : {}),
  };
}

/** Builds a run view that knows only a summary (from `baton/listRuns` or a notification). */
export function runViewFromSummary(summary: RunSummary): RunView {
  return {
    summary,
    stages: [],
    detailed: false,
    prompts: [],
    annotations: [],
    diagnoses: {},
    answered: {},
  };
}

function mergeAnnotations(
  old: readonly AnnotationEntry[],
  fresh: readonly AnnotationEntry[],
): readonly AnnotationEntry[] {
  const key = (e: AnnotationEntry): string =>
    JSON.stringify([
      e.stage,
      e.attempt,
      e.annotation.message,
      e.annotation.path,
      e.annotation.range,
    ]);
  const seen = new Set(old.map(key));
  return [...old, ...fresh.filter((entry) => !seen.has(key(entry)))];
}

function summaryOf(snapshot: RunSnapshot): RunSummary {
  const summary: {
    -readonly [K in keyof RunSummary]: RunSummary[K];
  } = {
    runId: snapshot.runId,
    pipeline: snapshot.pipeline,
    pipelineName: snapshot.pipelineName,
    file: snapshot.file,
    status: snapshot.status,
    createdAt: snapshot.createdAt,
    // Counted from the stages themselves, so the per-event counting that follows starts true.
    stageCounts: snapshot.stages.length > 0 ? countStages(snapshot.stages) : snapshot.stageCounts,
    openPrompts: snapshot.openPrompts,
    local: snapshot.local,
  };
  const optional = [
    'number',
    'changedInputs',
    'startedAt',
    'endedAt',
    'resumedAt',
    'resumes',
    'earlierRanMs',
    'reason',
  ] as const;
  for (const key of optional) {
    if (snapshot[key] !== undefined) (summary as Record<string, unknown>)[key] = snapshot[key];
  }
  return summary;
}

/** Counts stages per status, as `RunSummary.stageCounts` does. */
export function countStages(
  stages: readonly StageSnapshot[],
): Partial<Record<StageSnapshot['status'], number>> {
  const counts: Partial<Record<StageSnapshot['status'], number>> = {};
  for (const stage of stages) counts[stage.status] = (counts[stage.status] ?? 0) + 1;
  return counts;
}
