import { nextCronTime } from '@baton/core';
import * as P from '@baton/protocol';
import type { Engine } from '../engine/engine';
import { isEngineError } from '../engine/engineErrors';
import type { Connection } from '../rpc/connection';
import type { RunTracker } from '../rpc/service/runTracker';

/** A due time this late (the machine slept, the loop stalled) counts as missed, not as due. */
export const MISSED_AFTER_MS = 60_000;
/** setTimeout's longest delay; farther times are re-armed on the way. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Starts scheduled pipelines on time while this server runs. The pipeline's
 * overlap policy is applied by the engine's pipeline lock (skip, queue,
 * cancel-running). Times missed while no server ran, or while the machine
 * slept, are reported with `window/showMessage` and never replayed.
 */
export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private reportedMissed = false;

  constructor(
    private readonly engine: Engine,
    private readonly tracker: RunTracker,
    private readonly connection: Pick<Connection, 'logger' | 'notify'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** (Re)arms the timers for the valid scheduled pipelines of `pipelines`. */
  async arm(pipelines: readonly P.WirePipeline[]): Promise<void> {
    this.dispose();
    const scheduled = pipelines.filter((p) => p.valid && p.schedule !== undefined);
    if (!this.reportedMissed) {
      this.reportedMissed = true;
      for (const pipeline of scheduled) await this.reportMissedWhileAway(pipeline);
    }
    for (const pipeline of scheduled) this.scheduleAfter(pipeline, this.now());
  }

  /** Cancels every timer. */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private scheduleAfter(pipeline: P.WirePipeline, after: number): void {
    const schedule = pipeline.schedule;
    if (schedule === undefined) return;
    const due = nextCronTime(schedule.cron, after, schedule.timezone);
    if (due === undefined) return;
    const delay = Math.max(0, due - this.now());
    const timer = setTimeout(
      () =>
        delay > MAX_TIMER_MS ? this.scheduleAfter(pipeline, after) : void this.fire(pipeline, due),
      Math.min(delay, MAX_TIMER_MS),
    );
    timer.unref();
    this.timers.set(pipeline.file, timer);
  }

  private async fire(pipeline: P.WirePipeline, due: number): Promise<void> {
    this.scheduleAfter(pipeline, due);
    const lateMs = this.now() - due;
    if (lateMs > MISSED_AFTER_MS) {
      this.report(
        `${pipeline.name}: the run due at ${iso(due)} was missed (${Math.round(lateMs / 1000)} s late); it was not started.`,
      );
      return;
    }
    try {
      const handle = await this.engine.startRun({ file: pipeline.file, interactive: false });
      this.tracker.track(await this.engine.getRunState(handle.runId), handle.finished);
      this.connection.logger.info(
        `${pipeline.name}: scheduled run ${handle.runId} started (due ${iso(due)})`,
      );
    } catch (error) {
      const what = isEngineError(error, 'busy')
        ? 'skipped (another run is active; overlap: skip)'
        : 'failed to start';
      this.connection.logger.warn(
        `${pipeline.name}: the scheduled run due at ${iso(due)} ${what}: ${String(error)}`,
      );
    }
  }

  /** At start: was a scheduled time passed since the pipeline's last run, while no server ran? */
  private async reportMissedWhileAway(pipeline: P.WirePipeline): Promise<void> {
    const schedule = pipeline.schedule;
    if (schedule === undefined) return;
    const [last] = await this.engine.files
      .listRuns({ pipelineId: pipeline.id, limit: 1 })
      .catch(() => []);
    if (last === undefined || !('state' in last)) return;
    const firstDue = nextCronTime(schedule.cron, last.state.createdAt, schedule.timezone);
    if (firstDue !== undefined && firstDue < this.now() - MISSED_AFTER_MS) {
      this.report(
        `${pipeline.name}: the scheduled run due at ${iso(firstDue)} was missed while no Baton server ran; it is not replayed.`,
      );
    }
  }

  private report(message: string): void {
    this.connection.logger.warn(message);
    void this.connection.notify(P.ShowMessageMethod, { type: P.MessageType.Warning, message });
  }
}

function iso(time: number): string {
  return new Date(time).toISOString();
}
