import type * as Core from '@baton/core';
import { snapshot } from '@baton/core';
import { runName } from '@baton/protocol';
import type { Connection } from '../connection';

/** `$/progress` reports per run are at most this frequent. */
const REPORT_INTERVAL_MS = 250;

interface Tracked {
  readonly token: string;
  /** Resolves once `window/workDoneProgress/create` was answered (false: the client refused). */
  readonly created: Promise<boolean>;
  lastReportAt: number;
}

/**
 * Shows the runs this server owns as standard LSP work-done progress
 * (`window/workDoneProgress/create` + `$/progress` begin/report/end), so a
 * plain LSP client shows them without Baton-specific code.
 */
export class RunTracker {
  private readonly runs = new Map<string, Tracked>();

  constructor(
    private readonly connection: Pick<Connection, 'request' | 'notify' | 'logger'>,
    private readonly enabled: boolean,
    private readonly now: () => number,
  ) {}

  /**
   * Starts a progress for a run this server just started or resumed, titled
   * with the run's name (`Baton: Literature review #14`); ends it when
   * `finished` settles.
   */
  track(state: Core.RunState, finished: Promise<Core.RunStatus>): void {
    const { runId } = state;
    if (!this.enabled || this.runs.has(runId)) return;
    const token = `baton/run/${runId}`;
    const created = this.connection.request('window/workDoneProgress/create', { token }).then(
      async () => {
        await this.connection.notify('$/progress', {
          token,
          value: {
            kind: 'begin',
            title: `Baton: ${runTitle(state)}`,
            cancellable: true,
            percentage: 0,
          },
        });
        return true;
      },
      () => false,
    );
    this.runs.set(runId, { token, created, lastReportAt: 0 });
    finished.then(
      (status) => this.end(runId, status),
      (error: unknown) => this.end(runId, error instanceof Error ? error.message : 'failed'),
    );
  }

  /** The run a progress token belongs to, for `window/workDoneProgress/cancel`. */
  runOfToken(token: string | number): string | undefined {
    const text = String(token);
    return text.startsWith('baton/run/') ? text.slice('baton/run/'.length) : undefined;
  }

  /** Reports a tracked run's progress (throttled). */
  changed(state: Core.RunState): void {
    const tracked = this.runs.get(state.runId);
    const now = this.now();
    if (tracked === undefined || now - tracked.lastReportAt < REPORT_INTERVAL_MS) return;
    tracked.lastReportAt = now;
    const display = snapshot(state, now);
    const running = display.stages.filter((s) => s.status === 'running' || s.status === 'waiting');
    const message = running.map((s) => s.progress?.message ?? s.id).join(', ') || state.status;
    void tracked.created.then((ok) => {
      if (!ok || !this.runs.has(state.runId)) return;
      void this.connection.notify('$/progress', {
        token: tracked.token,
        value: { kind: 'report', message, percentage: Math.round(display.percent) },
      });
    });
  }

  private end(runId: string, status: string): void {
    const tracked = this.runs.get(runId);
    if (tracked === undefined) return;
    this.runs.delete(runId);
    void tracked.created.then((ok) => {
      if (ok)
        void this.connection.notify('$/progress', {
          token: tracked.token,
          value: { kind: 'end', message: status },
        });
    });
  }
}

function runTitle(state: Core.RunState): string {
  const { runId, number } = state;
  return runName({
    runId,
    pipelineName: state.pipeline.name,
    ...(number !== undefined ? { number } : {}),
  });
}
