import type { ExecutorCondition, RunEvent } from '@baton/core';
import type { ExecutedStage } from '../../executor/stageExecutor';

/** Where the reports of one attempt go. */
export interface ExecutorReportTarget {
  readonly stage: string;
  readonly attempt: number;
  now(): number;
  /** False once the attempt is abandoned or its run is being interrupted: reports are dropped then. */
  accepts(): boolean;
  dispatch(event: RunEvent): void;
}

/**
 * Feeds what a remote attempt's executor tells about it into the run as
 * events, so the event log (and every client, for runs of other processes
 * too) learns of it: a worker took it (`stageClaimed`), and what holds it up
 * or that nothing does any more (`stageExecutorCondition`). A local attempt
 * tells nothing.
 */
export function relayExecutorReports(process: ExecutedStage, target: ExecutorReportTarget): void {
  const { stage, attempt } = target;
  process.onClaimed?.((where) => {
    if (!target.accepts()) return;
    target.dispatch({ type: 'stageClaimed', stage, attempt, where, at: target.now() });
  });
  process.onCondition?.((condition: ExecutorCondition | undefined) => {
    if (!target.accepts()) return;
    target.dispatch({
      type: 'stageExecutorCondition',
      stage,
      attempt,
      ...(condition === undefined ? {} : { condition }),
      at: target.now(),
    });
  });
}
