import { pipelineIndex } from './pipelineIndex';
import type { RunState, StageState } from './state';

/**
 * The stage states of a run, shared between successive states so that an
 * event pays only for the stages it changes, not for all of them.
 *
 * A run's `stages` record is read like a plain object (by id, `Object.keys`,
 * spread, `JSON.stringify`), but a record a transition produced is a
 * read-only view of a `StageTable`: the states in chunks, where a new
 * version copies the list of chunks and the chunks it changes, and shares
 * the rest (and the key list) with the version before. Copying a plain
 * record of 10,000 entries on every event cost most of an event's time.
 */
interface StageTable {
  /** Stage ids in insertion order (a plain record's key order). */
  keys: readonly string[];
  /** Where each id's state is: `chunks[i >> CHUNK_BITS][i & CHUNK_MASK]`. */
  index: ReadonlyMap<string, number>;
  chunks: (readonly StageState[])[];
}

const CHUNK_BITS = 6;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;

// The table behind each record this module made, and behind each plain
// record a draft started from (built once, then reused).
const tables = new WeakMap<RunState['stages'], StageTable>();
// The records that are views (the others in `tables` are plain objects a draft started from).
const views = new WeakSet<RunState['stages']>();

function isView(stages: RunState['stages']): boolean {
  return views.has(stages);
}

/** The table of a stages record, built from it when it is a plain object. */
function tableOf(stages: RunState['stages']): StageTable {
  const known = tables.get(stages);
  if (known !== undefined) return known;
  const keys = Object.keys(stages);
  const index = new Map<string, number>();
  const chunks: StageState[][] = [];
  keys.forEach((key, i) => {
    index.set(key, i);
    (chunks[i >> CHUNK_BITS] ??= []).push(stages[key] as StageState);
  });
  const table = { keys, index, chunks };
  tables.set(stages, table);
  return table;
}

function lookup(table: StageTable, key: string | symbol): StageState | undefined {
  if (typeof key !== 'string') return undefined;
  const i = table.index.get(key);
  return i === undefined ? undefined : table.chunks[i >> CHUNK_BITS]?.[i & CHUNK_MASK];
}

/**
 * A read-only record view of `table`. Writes are refused (a TypeError in
 * strict code). Freezing it (as tests do to prove immutability) first
 * copies its entries onto the proxy's target, after which it behaves as
 * that frozen plain object. `structuredClone` cannot copy a proxy: clone
 * states with `plainState` or through JSON.
 */
function viewOf(table: StageTable): RunState['stages'] {
  let materialised = false;
  // `JSON.stringify` (checkpoints, the wire) reads a plain copy: about half
  // the time of reading the view entry by entry through the proxy's traps.
  const toJSON = (): Record<string, StageState> => {
    const plain: Record<string, StageState> = {};
    for (const key of table.keys) plain[key] = lookup(table, key) as StageState;
    return plain;
  };
  const view = new Proxy({} as Record<string, StageState>, {
    get: (target, key, receiver) =>
      lookup(table, key) ?? (key === 'toJSON' ? toJSON : Reflect.get(target, key, receiver)),
    has: (target, key) => lookup(table, key) !== undefined || Reflect.has(target, key),
    ownKeys: (target) => (materialised ? Reflect.ownKeys(target) : [...table.keys]),
    getOwnPropertyDescriptor: (target, key) => {
      if (materialised) return Reflect.getOwnPropertyDescriptor(target, key);
      const value = lookup(table, key);
      if (value === undefined) return undefined;
      return { value, writable: true, enumerable: true, configurable: true };
    },
    set: () => false,
    deleteProperty: () => false,
    defineProperty: (target, key, descriptor) =>
      materialised && Reflect.defineProperty(target, key, descriptor),
    preventExtensions: (target) => {
      if (!materialised) {
        for (const key of table.keys) target[key] = lookup(table, key) as StageState;
        materialised = true;
      }
      return Reflect.preventExtensions(target);
    },
  });
  tables.set(view, table);
  views.add(view);
  return view;
}

/**
 * A new version of a stages record that one event changes: `set` replaces
 * or adds stage states, `record` is the record as of now. Only the chunks
 * it wrote to are copies; the base record stays as it was.
 */
export class StagesWriter {
  private readonly table: StageTable;
  private readonly ownChunks = new Set<number>();
  private ownKeys = false;
  /** The record as of now; the same object for the writer's whole life. */
  readonly record: RunState['stages'];

  constructor(base: RunState['stages']) {
    const from = tableOf(base);
    this.table = { keys: from.keys, index: from.index, chunks: from.chunks.slice() };
    this.record = viewOf(this.table);
  }

  /** Puts `state` under `state.id`, replacing the stage's state or adding it at the end. */
  set(state: StageState): void {
    let i = this.table.index.get(state.id);
    if (i === undefined) i = this.append(state.id);
    const c = i >> CHUNK_BITS;
    if (!this.ownChunks.has(c)) {
      this.table.chunks[c] = (this.table.chunks[c] ?? []).slice();
      this.ownChunks.add(c);
    }
    (this.table.chunks[c] as StageState[])[i & CHUNK_MASK] = state;
  }

  private append(id: string): number {
    if (!this.ownKeys) {
      this.table.keys = this.table.keys.slice();
      this.table.index = new Map(this.table.index);
      this.ownKeys = true;
    }
    const i = this.table.keys.length;
    (this.table.keys as string[]).push(id);
    (this.table.index as Map<string, number>).set(id, i);
    return i;
  }
}

/**
 * The ids of the declared stages whose states differ from `before` to
 * `after` (two states of one run), in declaration order, found by comparing
 * chunks (unchanged ones are shared); `undefined` when either stages record
 * is a plain object (a loaded or masked state), which only a walk of every
 * stage can compare.
 */
export function changedStageIds(before: RunState, after: RunState): string[] | undefined {
  const old = isView(before.stages) ? tables.get(before.stages) : undefined;
  const now = isView(after.stages) ? tables.get(after.stages) : undefined;
  if (old === undefined || now === undefined) return undefined;
  const positions = pipelineIndex(after.pipeline).positions;
  const changed: string[] = [];
  now.chunks.forEach((chunk, c) => {
    if (chunk === old.chunks[c]) return;
    chunk.forEach((state, slot) => {
      const id = now.keys[(c << CHUNK_BITS) + slot] as string;
      if (positions.has(id) && lookup(old, id) !== state) changed.push(id);
    });
  });
  return changed.sort((a, b) => (positions.get(a) as number) - (positions.get(b) as number));
}

/** A stages record's states as the table behind it keeps them (see `stageChunks`). */
export interface StageChunks {
  /** Stage ids in the record's order: id `keys[i]` is in `chunks[i / chunkSize][i % chunkSize]`. */
  readonly keys: readonly string[];
  /** The states in chunks; a chunk no event changed is the same array in the next state. */
  readonly chunks: readonly (readonly StageState[])[];
  /** States per chunk (the last chunk may hold fewer). */
  readonly chunkSize: number;
}

/**
 * The chunks behind a stages record a transition made (or `withStages`), or
 * undefined for a plain record. For a shell that writes a large run by the
 * chunks that changed since it last wrote it: an unchanged chunk is the same
 * array object in every later state.
 */
export function stageChunks(stages: RunState['stages']): StageChunks | undefined {
  if (!isView(stages)) return undefined;
  const table = tables.get(stages);
  if (table === undefined) return undefined;
  return { keys: table.keys, chunks: table.chunks, chunkSize: 1 << CHUNK_BITS };
}

/**
 * A run state whose stages record is a plain object, for what cannot read
 * the shared records transitions make: `structuredClone`, `postMessage`.
 * (`JSON.stringify`, spreads and `Object.keys` read them as they are.)
 */
export function plainState(state: RunState): RunState {
  return { ...state, stages: { ...state.stages } };
}

/**
 * A new version of `base` (a run's stages record) with `states` put under
 * their ids, sharing every chunk it does not change with `base`. For a
 * shell that keeps a derived copy of a run's stages (a masked one) in step
 * event by event: `changedStageIds` then compares two such versions by
 * their chunks, as it compares the core's own.
 */
export function withStages(
  base: RunState['stages'],
  states: readonly StageState[],
): RunState['stages'] {
  const writer = new StagesWriter(base);
  for (const state of states) writer.set(state);
  return writer.record;
}
