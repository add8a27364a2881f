import type { BatonEvent, GetLockResult } from '@baton/protocol';
import { isStoppedRunStatus } from '@baton/protocol';
import type { ServerMirror } from './model/serverMirror';

/** Reads who holds a pipeline's lock (`baton/getLock`). */
export type ReadLock = (pipelineId: string) => Promise<GetLockResult>;

/**
 * Keeps the mirror's list of pipelines whose lock is stale (held, with its
 * owner dead or silent), so "Break Stale Lock" is offered only there. It
 * asks the server once per pipeline after a (re)connect, and again for a
 * pipeline whenever one of its runs stops (a dying owner leaves its runs
 * interrupted) or its lock was broken. It never polls.
 */
export class LockWatch {
  constructor(
    private readonly store: ServerMirror,
    private readonly readLock: ReadLock,
    private readonly onError: (what: string, error: unknown) => void,
  ) {}

  /** Checks every pipeline's lock (after a connect). */
  async checkAll(): Promise<void> {
    await Promise.all(this.store.pipelines.map((p) => this.check(p.id)));
  }

  /** Checks the pipelines of runs that stopped in these events. */
  noteEvents(events: readonly BatonEvent[]): void {
    for (const event of events) {
      if (event.kind !== 'runStatusChanged' || !isStoppedRunStatus(event.status)) continue;
      const pipeline = this.store.run(event.runId)?.summary.pipeline;
      if (pipeline !== undefined) void this.check(pipeline);
    }
  }

  /** Checks one pipeline's lock. */
  async check(pipelineId: string): Promise<void> {
    try {
      const { lock } = await this.readLock(pipelineId);
      this.store.setLockStale(pipelineId, lock?.stale === true);
    } catch (error) {
      this.onError(`Could not read the lock of ${pipelineId}`, error);
    }
  }
}
