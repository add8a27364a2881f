import type { DidOpenDebugTargetParams } from '@baton/protocol';

/** How many told targets nobody waited for are kept (a target can arrive before its waiter). */
const KEPT = 32;

/**
 * The debug targets the server told (`baton/didOpenDebugTarget`), handed to
 * the "Debug Stage" command that waits for its stage's. A target told before
 * anyone waits for it (the stage was quicker than the request's answer) is
 * kept for the next waiter of that run and stage.
 */
export class DebugTargets {
  private readonly unclaimed = new Map<string, DidOpenDebugTargetParams>();
  private readonly waiters = new Map<string, (told: DidOpenDebugTargetParams) => void>();

  /** The server told a target. */
  told(params: DidOpenDebugTargetParams): void {
    const key = keyOf(params.runId, params.stage);
    const waiter = this.waiters.get(key);
    if (waiter !== undefined) {
      this.waiters.delete(key);
      waiter(params);
      return;
    }
    this.unclaimed.set(key, params);
    for (const old of this.unclaimed.keys()) {
      if (this.unclaimed.size <= KEPT) break;
      this.unclaimed.delete(old);
    }
  }

  /** Drops what was told about a stage before: a new debug attempt of it is about to start. */
  forget(runId: string, stage: string): void {
    this.unclaimed.delete(keyOf(runId, stage));
  }

  /** The next target of the stage; undefined when `given up` settles first. */
  next(
    runId: string,
    stage: string,
    givenUp: Promise<void>,
  ): Promise<DidOpenDebugTargetParams | undefined> {
    const key = keyOf(runId, stage);
    const told = this.unclaimed.get(key);
    if (told !== undefined) {
      this.unclaimed.delete(key);
      return Promise.resolve(told);
    }
    return new Promise((resolve) => {
      this.waiters.set(key, resolve);
      void givenUp.then(() => {
        if (this.waiters.get(key) === resolve) this.waiters.delete(key);
        resolve(undefined);
      });
    });
  }
}

function keyOf(runId: string, stage: string): string {
  return `${runId}\u0000${stage}`;
}
