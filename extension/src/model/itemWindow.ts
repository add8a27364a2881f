import type { StageSnapshot, StageStatus } from '@baton/protocol';
import { itemGroupOf } from '@baton/protocol';

/**
 * The units `<stage>[<item>]` of one fanned-out stage that the client holds:
 * the pages it read with `baton/listItems` (failed first, then running, then
 * the rest), and nothing else. A run's view never holds every unit of a
 * 10,000-item stage: its counts come with the stage (`items`), its units
 * only as far as a person paged through them.
 */
export interface ItemWindow {
  /** The units read, in the server's order. */
  readonly units: readonly StageSnapshot[];
  /** Where the next page starts; absent when the window reached the last unit. */
  readonly nextCursor?: string;
  /**
   * True once events may have changed which units lead (a unit the window
   * lacks failed or started, or one it holds changed group): the owner reads
   * the window again from the start.
   */
  readonly stale: boolean;
}

/** How many item rows an expanded fanned-out stage shows at first, and adds per "Show more". */
export const ITEM_PAGE = 100;

/** The fanned-out stage of a unit id `<stage>[<item>]`; undefined for a stage's own id (ids never hold `[`). */
export function fanOutOf(id: string): string | undefined {
  const bracket = id.indexOf('[');
  return bracket > 0 ? id.slice(0, bracket) : undefined;
}

/** A window of the first page(s) read from the start. */
export function freshWindow(units: readonly StageSnapshot[], nextCursor?: string): ItemWindow {
  return nextCursor === undefined ? { units, stale: false } : { units, nextCursor, stale: false };
}

/** `window` with the next page added (a unit met again keeps its place and takes the newer snapshot). */
export function withNextPage(
  window: ItemWindow,
  units: readonly StageSnapshot[],
  nextCursor?: string,
): ItemWindow {
  const fresh = new Map(units.map((unit) => [unit.id, unit]));
  const kept = window.units.map((unit) => fresh.get(unit.id) ?? unit);
  const held = new Set(kept.map((unit) => unit.id));
  const added = units.filter((unit) => !held.has(unit.id));
  return {
    units: [...kept, ...added],
    ...(nextCursor === undefined ? {} : { nextCursor }),
    stale: window.stale,
  };
}

/**
 * `window` after an event about unit `unitId`: the unit patched by `update`
 * when the window holds it; stale when the unit's group (failed, running,
 * the rest) changed, or when a unit it lacks now leads. `status` is the
 * unit's new status when the event says it.
 */
export function withUnitChange(
  window: ItemWindow,
  unitId: string,
  status: StageStatus | undefined,
  update: (unit: StageSnapshot) => StageSnapshot,
): ItemWindow {
  const index = window.units.findIndex((unit) => unit.id === unitId);
  const held = index >= 0 ? window.units[index] : undefined;
  if (held === undefined) {
    const leads = status !== undefined && itemGroupOf(status) < 2;
    return leads && !window.stale ? { ...window, stale: true } : window;
  }
  const next = update(held);
  const units = [...window.units];
  units[index] = next;
  const moved = itemGroupOf(next.status) !== itemGroupOf(held.status);
  return { ...window, units, stale: window.stale || moved };
}

/** The unit `unitId` when a window of its stage holds it. */
export function heldUnit(
  windows: Readonly<Record<string, ItemWindow>> | undefined,
  unitId: string,
): StageSnapshot | undefined {
  const stage = fanOutOf(unitId);
  if (stage === undefined) return undefined;
  return windows?.[stage]?.units.find((unit) => unit.id === unitId);
}

/** A stage of a run view by id, or a unit one of its windows holds (views list no units). */
export function findStage(
  run: {
    readonly stages: readonly StageSnapshot[];
    readonly items?: Readonly<Record<string, ItemWindow>>;
  },
  id: string,
): StageSnapshot | undefined {
  return run.stages.find((stage) => stage.id === id) ?? heldUnit(run.items, id);
}
