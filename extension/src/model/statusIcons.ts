import type { ExecutorCondition, RunStatus, StageStatus } from '@baton/protocol';

/** A codicon id with an optional theme colour id: what a `ThemeIcon` is made of. */
export interface IconSpec {
  readonly id: string;
  readonly color?: string;
}

const PASSED = 'testing.iconPassed';
const FAILED = 'testing.iconFailed';
const QUEUED = 'testing.iconQueued';
const SKIPPED = 'testing.iconSkipped';
const WARNING = 'list.warningForeground';

const RUN_ICONS: Record<RunStatus, IconSpec> = {
  queued: { id: 'clock', color: QUEUED },
  running: { id: 'sync~spin' },
  waiting: { id: 'bell-dot', color: WARNING },
  succeeded: { id: 'pass-filled', color: PASSED },
  failed: { id: 'error', color: FAILED },
  cancelled: { id: 'circle-slash', color: SKIPPED },
  interrupted: { id: 'debug-pause', color: WARNING },
};

const STAGE_ICONS: Record<StageStatus, IconSpec> = {
  pending: { id: 'circle-large-outline', color: QUEUED },
  ready: { id: 'clock', color: QUEUED },
  waitingForPool: { id: 'watch', color: WARNING },
  running: { id: 'sync~spin' },
  waiting: { id: 'bell-dot', color: WARNING },
  retrying: { id: 'history', color: WARNING },
  succeeded: { id: 'pass-filled', color: PASSED },
  failed: { id: 'error', color: FAILED },
  skipped: { id: 'debug-step-over', color: SKIPPED },
  cancelled: { id: 'circle-slash', color: SKIPPED },
};

/** The icon of a stage the run skipped as up to date (`isUpToDateStage`): done, but not by this run. */
export const UP_TO_DATE_ICON: IconSpec = { id: 'check-all', color: PASSED };

/** The icon of a stage that never started in a run that has ended (`not started`). */
export const NOT_STARTED_ICON: IconSpec = { id: 'circle-large-outline', color: QUEUED };

/** The icon of a run in the tree and the status bar (spinning while it runs). */
export function runIcon(status: RunStatus): IconSpec {
  return RUN_ICONS[status] ?? { id: 'question' };
}

/** The icon of a stage in the tree (spinning while it runs). */
export function stageIcon(status: StageStatus): IconSpec {
  return STAGE_ICONS[status] ?? { id: 'question' };
}

/**
 * The icon of a running stage its executor holds up: a job no worker listens
 * for, or an executor that cannot be reached. Not the spinner, so a stage that
 * is not running anywhere does not look as if it were.
 */
export function heldUpIcon(condition: ExecutorCondition): IconSpec {
  return condition.kind === 'noWorker'
    ? { id: 'server-process', color: WARNING }
    : { id: 'debug-disconnect', color: FAILED };
}
