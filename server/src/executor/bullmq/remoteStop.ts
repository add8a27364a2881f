import { forgetPendingStop, recordPendingStop } from './pendingStops';
import type { PendingStopPlace } from './pendingStops';

/** What a remote attempt's stops go through. */
export interface RemoteStopDeps {
  /** Where a stop is kept on disk; absent: in memory only. */
  readonly place?: PendingStopPlace;
  readonly queue: string;
  readonly jobId: string;
  /** Whether Redis is unreachable right now. */
  unreachable(): boolean;
  /** Writes the kill entry into the job's control stream; false when it could not. */
  kill(graceMs: number): Promise<boolean>;
  /** Fails the job in Redis from outside. */
  failJob(reason: string): Promise<void>;
}

/**
 * The stops of one remote attempt, made so they outlive the orchestrator: a
 * stop is kept on disk first (see pendingStops.ts), handed to a courier
 * while Redis is unreachable, and forgotten once its kill entry is in Redis.
 */
export class RemoteStop {
  /** The file of a stop kept on disk that has not reached Redis yet. */
  private kept: string | undefined;
  private courierStarted = false;

  constructor(private readonly deps: RemoteStopDeps) {}

  /**
   * Sends a kill (and, for an attempt given up, fails its job with
   * `failReason`). Resolves once the stop is kept; `delivered` once it
   * reached Redis (false when it could not be written there).
   */
  async send(
    graceMs: number,
    failReason?: string,
  ): Promise<{ readonly delivered: Promise<boolean> }> {
    const { place, queue, jobId } = this.deps;
    if (place !== undefined) {
      const { runId, stage, attempt, file } = place;
      const reason = failReason ?? 'stopped';
      const failJob = failReason !== undefined;
      const stop = {
        runId,
        stage,
        attempt,
        queue,
        jobId,
        graceMs,
        failJob,
        reason,
        at: Date.now(),
      };
      await recordPendingStop(file, stop).then(
        () => (this.kept = file),
        () => undefined,
      );
      if (this.deps.unreachable()) this.handToCourier();
    }
    return { delivered: this.deliver(graceMs, failReason) };
  }

  /** Hands a stop kept on disk to a courier, once: it delivers it even after this process exits. */
  handToCourier(): void {
    const { place } = this.deps;
    if (place === undefined || this.kept === undefined || this.courierStarted) return;
    this.courierStarted = true;
    place.startCourier(this.kept);
  }

  /** What the attempt's error adds about a stop given to a courier (empty when stops are not kept). */
  keptNote(): string {
    const { place } = this.deps;
    return place === undefined
      ? ''
      : `; its stop is kept in ${place.file} until Redis is back, then its worker ends the stage's processes`;
  }

  private async deliver(graceMs: number, failReason: string | undefined): Promise<boolean> {
    const sent = await this.deps.kill(graceMs);
    if (failReason !== undefined) await this.deps.failJob(failReason);
    const kept = this.kept;
    if (!sent) this.handToCourier();
    else if (kept !== undefined) {
      this.kept = undefined;
      await forgetPendingStop(kept).catch(() => undefined);
    }
    return sent;
  }
}
