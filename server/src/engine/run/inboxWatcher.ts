import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import type { InboxMessage } from '../../store/inbox';
import type { RunStore } from '../../store/runStore';

/** How often the inbox is read even without a file-system notification (they can be missed). */
const POLL_MS = 1000;

/**
 * Delivers requests other processes drop into a run's inbox (`baton answer`,
 * `baton stop`, another window) to the owner, once each, oldest first. It
 * watches the directory and also reads it every second, because change
 * notifications can be lost; reads never overlap.
 */
export class InboxWatcher {
  private watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    private readonly onMessage: (message: InboxMessage) => void,
    private readonly onProblem: (message: string) => void,
  ) {}

  /** Starts watching and handles what is already waiting. */
  start(): void {
    try {
      this.watcher = watch(this.store.paths.inboxDir(this.runId), () => this.check());
      this.watcher.on('error', () => undefined);
    } catch (error) {
      this.onProblem(
        `cannot watch the inbox of run ${this.runId} (${String(error)}); polling instead`,
      );
    }
    this.poll = setInterval(() => this.check(), POLL_MS);
    this.poll.unref();
    this.check();
  }

  /** Stops watching; waits for a read in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    if (this.poll) clearInterval(this.poll);
    await this.reading;
  }

  private check(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readAll().finally(() => {
      this.reading = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.check();
      }
    });
  }

  private async readAll(): Promise<void> {
    try {
      const { entries, problems } = await this.store.readInbox(this.runId);
      for (const problem of problems) {
        this.onProblem(`dropped unreadable inbox message ${problem.name}: ${problem.problem}`);
        await this.store.consumeInboxMessage(this.runId, problem.name);
      }
      for (const entry of entries) {
        if (this.stopped) return;
        // Consume first: a message that makes the handler throw must not be handled forever.
        await this.store.consumeInboxMessage(this.runId, entry.name);
        this.onMessage(entry.message);
      }
    } catch (error) {
      this.onProblem(`reading the inbox of run ${this.runId}: ${String(error)}`);
    }
  }
}
