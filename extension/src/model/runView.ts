import type { AnsweredPrompt } from './answeredPrompts';
import { answeredInEvents } from './answeredPrompts';
import type {
  PromptInfo,
  RunSnapshot,
  RunSummary,
  StageDiagnosis,
  StageSnapshot,
  StageStatus,
  WireAnnotation,
} from '@baton/protocol';
import type { ItemWindow } from './itemWindow';
import { fanOutOf } from './itemWindow';

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
  /**
   * Stages in declaration order, without the units of fanned-out stages
   * (their counts are on their stage, `items`). Partial until `detailed`.
   */
  readonly stages: readonly StageSnapshot[];
  /**
   * The units the client read of each fanned-out stage (`baton/listItems`),
   * by stage id: only the pages a view asked for, never a whole 10,000-item stage.
   */
  readonly items?: Readonly<Record<string, ItemWindow>>;
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
  const stages = snapshot.stages.filter((stage) => fanOutOf(stage.id) === undefined);
  return {
    summary: summaryOf(snapshot, stages),
    stages,
    ...(previous?.items === undefined ? {} : { items: staleWindows(previous.items) }),
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

/** The windows a run held, to be read again: a snapshot may be newer than they are. */
function staleWindows(
  windows: Readonly<Record<string, ItemWindow>>,
): Readonly<Record<string, ItemWindow>> {
  const stale: Record<string, ItemWindow> = {};
  for (const [stage, window] of Object.entries(windows)) stale[stage] = { ...window, stale: true };
  return stale;
}

function summaryOf(snapshot: RunSnapshot, stages: readonly StageSnapshot[]): RunSummary {
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
    stageCounts: stages.length > 0 ? countStages(stages) : snapshot.stageCounts,
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

/**
 * Counts stages per status, as `RunSummary.stageCounts` does: each stage, and
 * the units of a fanned-out stage from its item counts (a view lists no units).
 */
export function countStages(
  stages: readonly StageSnapshot[],
): Partial<Record<StageSnapshot['status'], number>> {
  const counts: Partial<Record<StageSnapshot['status'], number>> = {};
  for (const stage of stages) {
    counts[stage.status] = (counts[stage.status] ?? 0) + 1;
    for (const [status, count] of Object.entries(stage.items?.counts ?? {}) as [
      StageStatus,
      number,
    ][]) {
      counts[status] = (counts[status] ?? 0) + count;
    }
  }
  return counts;
}
