import { createReadStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type * as P from '@baton/protocol';

/** The journal starts afresh past this size, so a server that runs for weeks keeps its disk use bounded. */
export const DEFAULT_JOURNAL_MAX_BYTES = 64 * 1024 * 1024;

/** Journal folders are named `baton-feed-<pid>-<random>`. */
const PREFIX = 'baton-feed-';

/** Where a batch of spilled events starts in the journal file. */
interface Chunk {
  readonly firstSeq: number;
  readonly offset: number;
}

/** Events read back from the journal. */
export interface JournalSlice {
  /** Matching events, oldest first. */
  readonly events: P.BatonEvent[];
  /** The highest seq looked at (matching or not); 0 when nothing was read. */
  readonly scannedTo: number;
  /** True when `limit` cut the slice. */
  readonly full: boolean;
}

/**
 * The event feed's overflow on disk: events that leave the in-memory ring are
 * appended here (JSON lines, in seq order), so `baton/getEvents` can return
 * every event this server assigned a seq, however old. The file lives in a
 * private temporary folder for the life of the server and is removed when
 * it stops. Writes are queued (never synchronous); reads wait for the queue.
 * Past `maxBytes` the file starts again empty: `firstSeq` then tells a client
 * that fell that far behind to refetch snapshots.
 */
export class FeedJournal {
  private readonly chunks: Chunk[] = [];
  private size = 0;
  private writing: Promise<void> = Promise.resolve();
  private failed = false;

  private constructor(
    private readonly dir: string,
    private readonly file: string,
    private readonly maxBytes: number,
  ) {}

  /** Creates the journal in a new private folder under `parent` (the system's temp dir by default). */
  static async create(
    parent = os.tmpdir(),
    maxBytes = DEFAULT_JOURNAL_MAX_BYTES,
  ): Promise<FeedJournal> {
    await removeOrphanedJournals(parent);
    const dir = await fs.mkdtemp(path.join(parent, `${PREFIX}${process.pid}-`));
    const file = path.join(dir, 'events.jsonl');
    await fs.writeFile(file, '', { mode: 0o600 });
    return new FeedJournal(dir, file, maxBytes);
  }

  /** The oldest seq the journal holds; undefined while it holds nothing. */
  get firstSeq(): number | undefined {
    return this.chunks[0]?.firstSeq;
  }

  /** Queues events (in seq order, after those already appended) for the file. */
  append(events: readonly P.BatonEvent[]): void {
    const first = events[0];
    if (first === undefined) return;
    const text = `${events.map((event) => JSON.stringify(event)).join('\n')}\n`;
    const restart = this.size > 0 && this.size + text.length > this.maxBytes;
    if (restart) {
      this.chunks.length = 0;
      this.size = 0;
    }
    this.chunks.push({ firstSeq: first.seq, offset: this.size });
    this.size += Buffer.byteLength(text, 'utf8');
    this.writing = this.writing
      .then(() => {
        if (this.failed) return undefined;
        return restart ? fs.writeFile(this.file, text) : fs.appendFile(this.file, text);
      })
      .catch(() => {
        // A full or vanished temp dir: the feed falls back to its ring (firstSeq tells the client).
        this.failed = true;
      });
  }

  /** Whether every event handed to `append` can be read back (false once a write failed). */
  async isComplete(): Promise<boolean> {
    await this.writing;
    return !this.failed;
  }

  /** Up to `limit` events with `seq > afterSeq` (of `runId` when given), oldest first. */
  read(afterSeq: number, limit: number, runId?: string): Promise<JournalSlice> {
    // Reads take their turn in the write queue, so a restart never truncates a file being read.
    const slice = this.writing.then(() => this.readFile(afterSeq, limit, runId));
    this.writing = slice.then(
      () => undefined,
      () => undefined,
    );
    return slice;
  }

  private async readFile(afterSeq: number, limit: number, runId?: string): Promise<JournalSlice> {
    const start = this.chunkStart(afterSeq);
    if (start === undefined) return { events: [], scannedTo: 0, full: false };
    const events: P.BatonEvent[] = [];
    let scannedTo = 0;
    const lines = createInterface({
      input: createReadStream(this.file, { start: start.offset, encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line.length === 0) continue;
      const event = JSON.parse(line) as P.BatonEvent;
      if (event.seq <= afterSeq) continue;
      if (runId === undefined || event.runId === runId) {
        if (events.length === limit) {
          lines.close();
          return { events, scannedTo, full: true };
        }
        events.push(event);
      }
      scannedTo = event.seq;
    }
    return { events, scannedTo, full: false };
  }

  /** Waits for queued writes, then deletes the file and its folder. */
  async dispose(): Promise<void> {
    await this.writing.catch(() => undefined);
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  /** The last chunk starting at or before `afterSeq + 1` (binary search: chunks are in seq order). */
  private chunkStart(afterSeq: number): Chunk | undefined {
    let low = 0;
    let high = this.chunks.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.chunks[mid]?.firstSeq ?? 0) <= afterSeq + 1) low = mid + 1;
      else high = mid;
    }
    return this.chunks[Math.max(0, low - 1)];
  }
}

/**
 * Deletes the journal folders of servers that died without cleaning up
 * (killed with SIGKILL): the pid in the name no longer runs.
 */
async function removeOrphanedJournals(parent: string): Promise<void> {
  const names = await fs.readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    const pid = /^baton-feed-(\d+)-/.exec(name)?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    await fs.rm(path.join(parent, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
