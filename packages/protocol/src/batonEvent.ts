/**
 * The events of a run on the wire: what the server's event feed reports and
 * a run's snapshot carries as its latest. Each comes from one run event.
 */
import type { ExecutorCondition } from './executorConditions';
import type { AnswerValue, PromptInfo } from './promptInfo';
import type { ResumePlan } from './runPlans';
import type { RunStatus } from './runSummary';
import type { StageDiagnosis, WireAnnotation, WireProgress } from './stageReports';
import type { StageStatus, WireItemCounts } from './stageSnapshot';

/** Fields every event carries. */
interface EventBase {
  /** Global sequence number, strictly increasing across all runs this server knows. */
  readonly seq: number;
  readonly runId: string;
  /** Epoch ms when it happened: the time of the run event it comes from (`at` in the run's event log). */
  readonly time: number;
}

/** Something that happened to a run, as the server's event feed (`baton/getEvents`) reports it. */
export type BatonEvent = EventBase &
  (
    | {
        readonly kind: 'runCreated';
        readonly pipeline: string;
        readonly file: string;
        readonly pipelineName: string;
        /** As `RunSummary.number`. */
        readonly number?: number;
        /** As `RunSummary.changedInputs`. */
        readonly changedInputs?: Readonly<Record<string, AnswerValue>>;
        /** As `RunSummary.local`: this server runs the run. */
        readonly local: boolean;
      }
    | { readonly kind: 'runStatusChanged'; readonly status: RunStatus; readonly reason?: string }
    | {
        readonly kind: 'runResumed';
        readonly plan: ResumePlan;
        /** As `RunSummary.local`: this server resumed the run (rather than another process). */
        readonly local: boolean;
      }
    | {
        readonly kind: 'stageStatusChanged';
        readonly stage: string;
        readonly attempt: number;
        readonly status: StageStatus;
        readonly reason?: string;
        readonly exitCode?: number;
        readonly signal?: string;
        /** The stage's attempt budget after the change (it grows on resume). */
        readonly maxAttempts: number;
        /** When the pending retry is due (status `retrying`). */
        readonly retryAt?: number;
        /** Outputs the attempt set through `$BATON_OUTPUT` (status `succeeded`). */
        readonly outputs?: Readonly<Record<string, string>>;
        /** Why the stage runs, or why it was skipped as up to date (see `StageSnapshot.plan`). */
        readonly plan?: string;
        /** Set when the stage was up to date: the run whose recorded success it reused. */
        readonly upToDate?: string;
        /** As `StageSnapshot.where` after the change (absent: runs locally, or cleared). */
        readonly where?: string;
        /** As `StageSnapshot.unitOf`: set on every event of a unit `<stage>[<item>]`, so a client groups units it first hears of here. */
        readonly unitOf?: string;
        /** As `StageSnapshot.items` after the change (a fanned-out stage only). */
        readonly items?: WireItemCounts;
        /** As `StageSnapshot.executorCondition` after the change (absent: nothing holds it up). */
        readonly executorCondition?: ExecutorCondition;
      }
    | {
        /**
         * Where the attempt runs, or what holds it up, changed while its status
         * did not: handed to a queue (`queue gpu`), waiting there with no worker,
         * taken by a worker (`worker gpu-1 on host a100`), its executor
         * unreachable and back.
         */
        readonly kind: 'stageWhere';
        readonly stage: string;
        readonly attempt: number;
        /** As `StageSnapshot.where`, e.g. `worker gpu-1 on host a100`. */
        readonly where: string;
        /** As `StageSnapshot.executorCondition` after the change (absent: nothing holds it up). */
        readonly executorCondition?: ExecutorCondition;
      }
    | {
        readonly kind: 'stageProgress';
        readonly stage: string;
        readonly attempt: number;
        readonly progress: WireProgress;
      }
    | {
        /** The unit counts of a fanned-out stage changed (its own status did not). */
        readonly kind: 'stageItems';
        readonly stage: string;
        readonly attempt: number;
        readonly items: WireItemCounts;
      }
    | { readonly kind: 'promptOpened'; readonly prompt: PromptInfo }
    | {
        readonly kind: 'promptClosed';
        readonly promptId: string;
        /** Absent for secret prompts and prompts closed without an answer. */
        readonly answer?: AnswerValue;
        readonly by: string;
      }
    | {
        readonly kind: 'annotation';
        readonly stage: string;
        readonly attempt: number;
        readonly annotation: WireAnnotation;
      }
    | {
        readonly kind: 'stageDiagnosed';
        readonly stage: string;
        readonly attempt: number;
        readonly diagnosis: StageDiagnosis;
      }
  );

/** The `kind` tags of `BatonEvent`. */
export type BatonEventKind = BatonEvent['kind'];
