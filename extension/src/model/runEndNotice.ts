import type { RunStatus } from '@baton/protocol';
import { isStoppedRunStatus } from '@baton/protocol';
import { formatDuration } from './format';
import { runLabel } from './runLabel';
import { isRetryableStage } from './runStatus';
import { ranMs } from './runTime';
import type { RunView } from './runView';

/** The settings that decide which ended runs raise a notification (`baton.notifications.*`). */
export interface RunEndSettings {
  /** `baton.notifications.runFailed`: a failed run always notifies. */
  readonly runFailed: boolean;
  /** `baton.notifications.longRunEnded`: a long run that ends while the window is unfocused notifies. */
  readonly longRunEnded: boolean;
  /** `baton.notifications.longRunSeconds`: how long a run must have run to count as long. */
  readonly longRunSeconds: number;
}

/** A button of a run-end notification. */
export type RunEndAction = 'Show Log' | 'Retry Failed' | 'Show Graph';

/** What to tell about a run that just ended. */
export interface RunEndNotice {
  readonly severity: 'error' | 'info';
  readonly message: string;
  readonly actions: readonly RunEndAction[];
  /** The stage Retry Failed retries: the first failed or cancelled one. */
  readonly retryStage?: string;
}

/**
 * The notification for a run that has just stopped, or undefined when none
 * is due. A run notifies only on the change this window saw happen (from
 * queued, running or waiting to stopped), never for runs listed after the fact. A
 * failure notifies when `runFailed` is on; any other end when `longRunEnded`
 * is on, the run ran at least `longRunSeconds`, and the window is not
 * focused (someone looking at the editor sees it end anyway).
 */
export function runEndNotice(
  previous: RunStatus | undefined,
  run: RunView,
  context: { readonly now: number; readonly focused: boolean; readonly settings: RunEndSettings },
): RunEndNotice | undefined {
  const { status } = run.summary;
  if (previous === undefined || isStoppedRunStatus(previous) || !isStoppedRunStatus(status))
    return undefined;
  const { settings } = context;
  const ran = ranMs(run.summary, context.now) ?? 0;
  const label = runLabel(run.summary);
  const took = ran > 0 ? ` after ${formatDuration(ran)}` : '';
  const retryStage = run.stages.find((s) => isRetryableStage(s.status, status))?.id;
  if (status === 'failed') {
    if (!settings.runFailed) return undefined;
    const why = run.summary.reason !== undefined ? `: ${run.summary.reason}` : '';
    return {
      severity: 'error',
      message: `${label} failed${took}${why}`,
      actions:
        retryStage !== undefined
          ? ['Show Log', 'Retry Failed', 'Show Graph']
          : ['Show Log', 'Show Graph'],
      ...(retryStage !== undefined ? { retryStage } : {}),
    };
  }
  if (!settings.longRunEnded || context.focused || ran < settings.longRunSeconds * 1000)
    return undefined;
  return {
    severity: 'info',
    message: `${label} ${status}${took}`,
    actions: ['Show Log', 'Show Graph'],
  };
}
