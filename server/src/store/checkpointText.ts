/**
 * The text of `run.json` (`JSON.stringify` of a run state, exactly), built
 * from what changed since the last checkpoint. A 10,000-unit run's state is
 * 6 MB of JSON, written every few seconds: serialising all of it each time
 * made most of the server's garbage over such a run (and so its peak memory).
 * But a run's pipeline is one object for many states, and its stages are
 * kept in chunks of 64 that a state shares with the one before unless an
 * event changed them (`stageChunks`): their text is kept per object, so a
 * checkpoint serialises only the chunks changed since the last one.
 */
import type { Pipeline, RunState, StageState } from '@baton/core';
import { stageChunks } from '@baton/core';
import type { StageChunks } from '@baton/core';
import { DEFAULT_PIECE_CHARS, jsonPieces, piecesOf } from './jsonPieces';

// Texts by the object they are the JSON of; both kinds of object are never changed.
const pipelineTexts = new WeakMap<Pipeline, string>();
const chunkTexts = new WeakMap<readonly StageState[], string>();
// Whether a key list has an id that JSON would move ahead of the others (an array index).
const indexKeyed = new WeakMap<readonly string[], boolean>();

/**
 * `JSON.stringify(state)` in pieces of about `pieceChars` characters, built
 * from kept texts where it can be (a state whose stages are a plain record
 * is written entry by entry, as `jsonPieces` does).
 */
export function* checkpointPieces(
  state: RunState,
  pieceChars = DEFAULT_PIECE_CHARS,
): Generator<string, void, undefined> {
  yield* piecesOf(stateParts(state, pieceChars), pieceChars);
}

function* stateParts(state: RunState, pieceChars: number): Generator<string, void, undefined> {
  yield '{';
  let first = true;
  for (const key of Object.keys(state)) {
    const value = (state as unknown as Record<string, unknown>)[key];
    if (value === undefined || typeof value === 'function') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (key === 'pipeline') yield* pipelineParts(value as Pipeline, pieceChars);
    else if (key === 'stages') yield* stagesParts(value as RunState['stages'], pieceChars);
    else yield* jsonPieces(value, pieceChars);
  }
  yield '}';
}

/** The pipeline's text: made once per pipeline (a fan-out makes a new one), then kept. */
function* pipelineParts(
  pipeline: Pipeline,
  pieceChars: number,
): Generator<string, void, undefined> {
  const kept = pipelineTexts.get(pipeline);
  if (kept !== undefined) {
    yield kept;
    return;
  }
  const pieces: string[] = [];
  for (const piece of jsonPieces(pipeline, pieceChars)) {
    pieces.push(piece);
    yield piece;
  }
  pipelineTexts.set(pipeline, pieces.join(''));
}

/** The stages record's text, chunk by chunk, each chunk's text made once. */
function* stagesParts(
  stages: RunState['stages'],
  pieceChars: number,
): Generator<string, void, undefined> {
  const table = stageChunks(stages);
  if (table === undefined || hasIndexKey(table.keys)) {
    yield* jsonPieces(stages, pieceChars);
    return;
  }
  yield '{';
  let first = true;
  for (let c = 0; c < table.chunks.length; c++) {
    const text = chunkText(table, c);
    if (text.length === 0) continue;
    yield first ? text : `,${text}`;
    first = false;
  }
  yield '}';
}

/** The entries of chunk `c` as JSON writes them inside the record (`"id":{…},…`). */
function chunkText(table: StageChunks, c: number): string {
  const chunk = table.chunks[c] ?? [];
  const kept = chunkTexts.get(chunk);
  if (kept !== undefined) return kept;
  const entries: string[] = [];
  const base = c * table.chunkSize;
  chunk.forEach((stage, slot) => {
    const key = table.keys[base + slot];
    if (key !== undefined && stage !== undefined) {
      entries.push(`${JSON.stringify(key)}:${JSON.stringify(stage)}`);
    }
  });
  const text = entries.join(',');
  chunkTexts.set(chunk, text);
  return text;
}

/**
 * Whether a key is an array index ("0", "17"): JSON writes such keys of a
 * plain object first, in numeric order, so the chunks' order would differ.
 */
function hasIndexKey(keys: readonly string[]): boolean {
  let known = indexKeyed.get(keys);
  if (known === undefined) {
    known = keys.some((key) => /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1);
    indexKeyed.set(keys, known);
  }
  return known;
}
