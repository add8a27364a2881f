/**
 * The queue of stages waiting for pool slots, shared by every run and
 * process of a state directory, so waiters are served in order of arrival.
 *
 * A waiter holds a ticket: a file `pools/.queue/<seq>-<token>.ticket` that
 * records who waits (the owner fields of a lock: pid, host, process start
 * time, boot id, heartbeat as its mtime), for which run and stage, and for
 * which pools. `seq` is one more than the largest ticket present when it
 * arrived, so a later arrival sorts after every ticket it could see; the
 * random token makes every name unique (two arrivals at the same moment
 * share a `seq` and are told apart by the token), so a ticket's name is
 * never reused and removing one by name can never remove another's.
 * A waiter may take slots only when no earlier ticket wants any of its
 * pools: the first ticket of a pool is never blocked by a later one, so
 * there is no deadlock even across pools. A ticket whose owner is dead
 * (the same liveness test as a lock's) is removed by whoever finds it, as
 * a dead holder's slot is reclaimed.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ensureDir, writeSyncedTemp } from './atomicFile';
import type { LockOwner } from './lockOwner';
import { ownerLiveness } from './lockOwner';
import { currentProcessIdentity } from './processIdentity';
import { hasCode } from './storeError';

/** How often a ticket's heartbeat (its mtime) is refreshed. */
const HEARTBEAT_MS = 10_000;
const TICKET_NAME = /^(\d+)-([0-9a-f]+)\.ticket$/;

/** What a ticket file records: its owner, as a lock does, and the pools it waits for. */
export interface TicketOwner extends LockOwner {
  readonly pools: readonly string[];
}

/** An earlier live ticket that wants one of our pools. */
export interface TicketAhead {
  readonly owner: TicketOwner;
  /** The pools it shares with ours. */
  readonly shared: readonly string[];
}

interface TicketName {
  readonly name: string;
  readonly seq: number;
  readonly token: string;
}

function parseName(name: string): TicketName | undefined {
  const match = TICKET_NAME.exec(name);
  if (match === null) return undefined;
  return { name, seq: Number(match[1]), token: match[2] as string };
}

/** Ticket order: by `seq`, then by token for arrivals at the same moment. */
function isBefore(a: TicketName, b: TicketName): boolean {
  return a.seq < b.seq || (a.seq === b.seq && a.token < b.token);
}

async function listTickets(dir: string): Promise<TicketName[]> {
  const names = await fs.readdir(dir).catch((error: unknown) => {
    if (hasCode(error, 'ENOENT')) return [] as string[];
    throw error;
  });
  return names.flatMap((name) => parseName(name) ?? []);
}

/** A ticket's owner, undefined when it is gone or unreadable (a torn write cannot happen: see `take`). */
async function readTicket(file: string): Promise<TicketOwner | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    const owner = JSON.parse(text) as TicketOwner;
    return { ...owner, heartbeatAt: Math.max(owner.heartbeatAt, Math.floor(stat.mtimeMs)) };
  } catch {
    return undefined;
  }
}

/** One stage's place in the queue, from `take` until `leave`. */
export class PoolTicket {
  private timer: NodeJS.Timeout | undefined;
  private left = false;

  private constructor(
    private readonly dir: string,
    private readonly ticket: TicketName,
    private readonly pools: readonly string[],
  ) {
    this.timer = setInterval(() => {
      const now = new Date();
      fs.utimes(this.file, now, now).catch(() => undefined);
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  private get file(): string {
    return path.join(this.dir, this.ticket.name);
  }

  /** Joins the queue in `dir` for `pools`, behind every ticket there now. */
  static async take(
    dir: string,
    pools: readonly string[],
    holder: { readonly runId: string; readonly stage: string },
  ): Promise<PoolTicket> {
    await ensureDir(dir);
    const present = await listTickets(dir);
    const seq = present.reduce((max, ticket) => Math.max(max, ticket.seq), 0) + 1;
    const token = randomBytes(8).toString('hex');
    const ticket = { name: `${String(seq).padStart(12, '0')}-${token}.ticket`, seq, token };
    const now = Date.now();
    const owner: TicketOwner = {
      ...currentProcessIdentity(),
      token,
      startedAt: now,
      heartbeatAt: now,
      runId: holder.runId,
      label: holder.stage,
      pools,
    };
    // Complete before it has its name, so a reader never sees half a ticket.
    const temp = await writeSyncedTemp(path.join(dir, ticket.name), JSON.stringify(owner));
    await fs.rename(temp, path.join(dir, ticket.name));
    return new PoolTicket(dir, ticket, pools);
  }

  /**
   * The earlier tickets that want any of our pools, oldest first. Tickets
   * of dead owners are removed on the way and do not count.
   */
  async ahead(): Promise<TicketAhead[]> {
    const earlier = (await listTickets(this.dir))
      .filter((other) => isBefore(other, this.ticket))
      .sort((a, b) => (isBefore(a, b) ? -1 : 1));
    const found: TicketAhead[] = [];
    for (const other of earlier) {
      const file = path.join(this.dir, other.name);
      const owner = await readTicket(file);
      if (owner === undefined) continue;
      if (!ownerLiveness(owner).alive) {
        await fs.rm(file, { force: true }).catch(() => undefined);
        continue;
      }
      const shared = (owner.pools ?? []).filter((pool) => this.pools.includes(pool));
      if (shared.length > 0) found.push({ owner, shared });
    }
    return found;
  }

  /** Leaves the queue (twice is harmless). */
  async leave(): Promise<void> {
    if (this.left) return;
    this.left = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await fs.rm(this.file, { force: true }).catch(() => undefined);
  }
}
