/**
 * `JSON.stringify` of a large value a piece at a time, so that a caller can
 * write each piece and let the event loop run between them. Building a
 * 10,000-unit run's checkpoint (6 MB) in one call held the server's event
 * loop for tens of milliseconds (plus as long again to turn the string into
 * bytes), and every request and notification waited behind it.
 */

/** A container with more entries than this is written entry by entry, whatever its depth. */
const LARGE_CONTAINER = 32;
/** Containers this shallow (the value and its fields) are always written entry by entry. */
const SHALLOW_DEPTH = 1;
/** Default size of a piece, in characters. */
export const DEFAULT_PIECE_CHARS = 128 * 1024;

/**
 * The text `JSON.stringify(value)` returns, as pieces of about `pieceChars`
 * characters (a piece may be longer by one entry). Large or shallow
 * containers are walked entry by entry; everything else is handed to
 * `JSON.stringify` whole, so the pieces join to exactly its text, including
 * `toJSON`, skipped `undefined` fields and `null` for `undefined` in arrays.
 * The value must not change while the pieces are read (a run state never does).
 */
export function* jsonPieces(
  value: unknown,
  pieceChars = DEFAULT_PIECE_CHARS,
): Generator<string, void, undefined> {
  yield* piecesOf(partsOf(value, '', 0), pieceChars);
}

/** Joins small `parts` of a text into pieces of about `pieceChars` characters each. */
export function* piecesOf(
  parts: Iterable<string>,
  pieceChars: number,
): Generator<string, void, undefined> {
  let gathered: string[] = [];
  let chars = 0;
  for (const part of parts) {
    gathered.push(part);
    chars += part.length;
    if (chars >= pieceChars) {
      yield gathered.join('');
      gathered = [];
      chars = 0;
    }
  }
  if (gathered.length > 0) yield gathered.join('');
}

/** The parts of one value's JSON text; nothing for a value JSON leaves out (undefined, a function). */
function* partsOf(value: unknown, key: string, depth: number): Generator<string, void, undefined> {
  yield* jsonParts(toJsonValue(value, key), depth);
}

/** The parts of a value already through `toJSON`. */
function* jsonParts(json: unknown, depth: number): Generator<string, void, undefined> {
  if (json === null || typeof json !== 'object') {
    const text = JSON.stringify(json) as string | undefined;
    if (text !== undefined) yield text;
    return;
  }
  const size = Array.isArray(json) ? json.length : Object.keys(json).length;
  if (depth > SHALLOW_DEPTH && size <= LARGE_CONTAINER) {
    yield JSON.stringify(json);
    return;
  }
  if (Array.isArray(json)) yield* arrayParts(json as unknown[], depth);
  else yield* objectParts(json as Record<string, unknown>, depth);
}

function* arrayParts(items: readonly unknown[], depth: number): Generator<string, void, undefined> {
  yield '[';
  for (let index = 0; index < items.length; index++) {
    if (index > 0) yield ',';
    let wrote = false;
    for (const part of partsOf(items[index], String(index), depth + 1)) {
      wrote = true;
      yield part;
    }
    // JSON writes what it leaves out of an object (undefined, a function) as null in an array.
    if (!wrote) yield 'null';
  }
  yield ']';
}

function* objectParts(
  record: Readonly<Record<string, unknown>>,
  depth: number,
): Generator<string, void, undefined> {
  yield '{';
  let first = true;
  for (const key of Object.keys(record)) {
    const json = toJsonValue(record[key], key);
    if (json === undefined || typeof json === 'function' || typeof json === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonParts(json, depth + 1);
  }
  yield '}';
}

/** What JSON writes for `value`: the result of its `toJSON(key)` when it has one. */
function toJsonValue(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return (toJSON as (key: string) => unknown).call(value, key);
  }
  return value;
}
