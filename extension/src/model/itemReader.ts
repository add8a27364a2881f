import type { ListItemsParams, ListItemsResult } from '@baton/protocol';
import { ITEM_PAGE, freshWindow, withNextPage } from './itemWindow';
import type { ItemsWanted, ServerMirror } from './serverMirror';

/** The request the reader needs; `ctx.ts` sends it over JSON-RPC. */
export interface ItemRequests {
  listItems(params: ListItemsParams): Promise<ListItemsResult>;
}

/** At most this many units read in one request (the server's cap). */
const MAX_PAGE = 1000;
/** Shortest time between two reads of one stage's window from the start, while its run goes on. */
export const ITEM_REFRESH_MS = 500;

/**
 * Reads fanned-out stages' units into the store as views ask
 * (`ServerMirror.onDidNeedItems`): the first page, the next one ("Show
 * more"), or the window read again from the start once events made it stale,
 * as many units as it shows, at most every `ITEM_REFRESH_MS` per stage, so a
 * busy 10,000-item run costs an expanded tree row two small requests a
 * second, and a collapsed one nothing.
 */
export class ItemReader {
  private readonly busy = new Set<string>();
  private readonly again = new Set<string>();
  private readonly lastRead = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly store: ServerMirror,
    private readonly requests: ItemRequests,
    private readonly onError: (what: string, error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads what `wanted` asks, now or after the stage's refresh interval. */
  want(wanted: ItemsWanted): void {
    const key = `${wanted.runId}\n${wanted.stageId}`;
    if (this.busy.has(key) || this.timers.has(key)) {
      // A next page waits for nothing: the user clicks again. A refresh runs once this read ends.
      if (!wanted.more) this.again.add(key);
      return;
    }
    const wait = wanted.more
      ? 0
      : (this.lastRead.get(key) ?? -Infinity) + ITEM_REFRESH_MS - this.now();
    if (wait > 0) {
      this.timers.set(
        key,
        setTimeout(() => {
          this.timers.delete(key);
          void this.read(key, wanted);
        }, wait),
      );
      return;
    }
    void this.read(key, wanted);
  }

  /** Stops the waiting reads. */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async read(key: string, wanted: ItemsWanted): Promise<void> {
    const { runId, stageId, more } = wanted;
    const window = this.store.run(runId)?.items?.[stageId];
    this.busy.add(key);
    try {
      if (more && window?.nextCursor !== undefined) {
        const page = await this.requests.listItems({
          runId,
          stage: stageId,
          limit: ITEM_PAGE,
          cursor: window.nextCursor,
        });
        const now = this.store.run(runId)?.items?.[stageId] ?? window;
        this.store.setItemWindow(runId, stageId, withNextPage(now, page.items, page.nextCursor));
      } else if (!more) {
        const limit = Math.min(MAX_PAGE, Math.max(ITEM_PAGE, window?.units.length ?? 0));
        const page = await this.requests.listItems({ runId, stage: stageId, limit });
        this.lastRead.set(key, this.now());
        this.store.setItemWindow(runId, stageId, freshWindow(page.items, page.nextCursor));
      }
    } catch (error) {
      this.onError(`Could not read the items of ${stageId}`, error);
    } finally {
      this.busy.delete(key);
    }
    if (this.again.delete(key)) this.want({ runId, stageId, more: false });
  }
}
