import type { Effect, RunEvent } from '@baton/core';
import type { StatePaths } from '../../store/paths';
import type { HeldSlots } from '../../store/poolSlots';
import { acquireSlots } from '../../store/poolSlots';

/** The effect that queues a stage for its pool slots. */
export type AcquireSlotsEffect = Extract<Effect, { type: 'acquireSlots' }>;

/** What the pool slots of a run need from it. */
export interface RunPoolSlotsOptions {
  readonly paths: StatePaths;
  readonly runId: string;
  /** The pipeline's `pools:` capacities. */
  readonly pools: Readonly<Record<string, number>>;
  /** Hands `slotsWaiting` and `slotsAcquired` to the run; false when it did not take the event. */
  readonly dispatch: (event: RunEvent) => boolean;
  readonly now: () => number;
  readonly onProblem: (message: string) => void;
}

/** One stage's request: stopped once the core let go of it, then its slots (if any) go back. */
interface Request {
  stopped: boolean;
  held: HeldSlots | undefined;
  /** Settles once the wait ended (its ticket left the queue). */
  done: Promise<void>;
}

/** Pause before trying again after the state directory failed. */
const RETRY_AFTER_ERROR_MS = 1000;

/**
 * The pool slots of one run's stages, carried out for the core's
 * `acquireSlots` and `releaseSlots` effects: each request waits in the
 * workspace's queue (`acquireSlots` in `poolSlots.ts`), tells the run why
 * it waits and when it has the slots, and gives them back when the core
 * says so, or when the run lets go of everything (`releaseAll`).
 */
export class RunPoolSlots {
  private readonly requests = new Map<string, Request>();

  constructor(private readonly options: RunPoolSlotsOptions) {}

  /** Queues the stage for its slots; the answer comes back as events. */
  acquire(effect: AcquireSlotsEffect): void {
    this.release(effect.stage);
    const request: Request = { stopped: false, held: undefined, done: Promise.resolve() };
    this.requests.set(effect.stage, request);
    request.done = this.wait(effect, request);
  }

  /**
   * Waits for the slots until they are held or the request is stopped. A
   * state directory that cannot be read or written is told as the reason
   * the stage waits, and tried again, so the stage never waits silently.
   */
  private async wait(effect: AcquireSlotsEffect, request: Request): Promise<void> {
    const { options } = this;
    const { stage, attempt } = effect;
    const tell = (reason: string): void => {
      if (!request.stopped) {
        options.dispatch({ type: 'slotsWaiting', stage, attempt, reason, at: options.now() });
      }
    };
    let held: HeldSlots | undefined;
    while (held === undefined && !request.stopped) {
      try {
        held = await acquireSlots(
          options.paths,
          options.pools,
          effect.resources,
          { runId: options.runId, stage },
          tell,
          () => request.stopped,
        );
      } catch (error) {
        options.onProblem(`stage ${stage}: could not take its pool slots: ${String(error)}`);
        tell(`waiting for a pool: the state directory failed (${String(error)}); trying again`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_ERROR_MS));
      }
    }
    if (held === undefined) return;
    request.held = held;
    if (request.stopped) {
      await held.release();
      return;
    }
    const taken = options.dispatch({ type: 'slotsAcquired', stage, attempt, at: options.now() });
    // The core moved on without them (the run is ending): nobody will ask for them back.
    if (!taken) this.release(stage);
  }

  /** Gives the stage's slots back, or stops its wait for them (harmless when it has none). */
  release(stage: string): void {
    const request = this.requests.get(stage);
    if (request === undefined) return;
    this.requests.delete(stage);
    request.stopped = true;
    void request.held?.release();
  }

  /** Gives back every slot the run holds and stops every wait (the run let go of everything). */
  async releaseAll(): Promise<void> {
    const held = [...this.requests.values()];
    this.requests.clear();
    for (const request of held) request.stopped = true;
    // Waits end within a poll; their tickets leave the queue before the run lets go.
    await Promise.all(held.map((request) => request.done));
    await Promise.all(held.map((request) => request.held?.release()));
  }
}
