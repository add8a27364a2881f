import * as path from 'node:path';
import type { Effect, RunEvent } from '@baton/core';
import { matchFiles } from '../../incremental/depsFiles';

/** The core's request to list the files of a `foreach:` glob. */
export type ListItemsEffect = Extract<Effect, { type: 'listItems' }>;

/**
 * Carries out `listItems`: the files the stage's `foreach:` glob matches,
 * relative to its working directory, sorted (so the units' order is stable),
 * as the `itemsListed` event the core records. Never rejects: a failure to
 * list becomes the event's `error`, which fails the stage saying why.
 */
export async function listFanOutItems(
  effect: ListItemsEffect,
  pipelineFile: string,
  at: () => number,
): Promise<Extract<RunEvent, { type: 'itemsListed' }>> {
  const cwd = path.resolve(path.dirname(path.resolve(pipelineFile)), effect.cwd ?? '.');
  try {
    const items = await matchFiles([effect.pattern], cwd);
    return { type: 'itemsListed', stage: effect.stage, items, at: at() };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { type: 'itemsListed', stage: effect.stage, items: [], error: reason, at: at() };
  }
}
