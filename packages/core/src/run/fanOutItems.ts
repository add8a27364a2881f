import type { MatrixSpec } from '../pipeline/model';

/**
 * The items of a fanned-out stage and the ids of its units. A unit's id is
 * `<stage>[<item>]`: readable, stable across runs (so the incremental record
 * finds it again) and safe as a file name (logs are named after it).
 */

/** One item of a fan-out, before it becomes a unit. */
export interface FanItem {
  /** What the unit id shows between the brackets (before escaping). */
  readonly label: string;
  /** `${{ item }}` and `BATON_ITEM`. */
  readonly value: string;
  readonly matrix?: Readonly<Record<string, string>>;
}

/** Longest unit id; file systems allow 255 bytes a name, and logs add a suffix. */
const MAX_UNIT_ID = 120;

/** FNV-1a over the text, as 8 hex digits: short, stable, pure. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * Escapes an item for a unit id: `%`, `/`, `\`, `:`, `[`, `]` and control
 * characters become `%XX`, so an id is one file name and its brackets are
 * unambiguous.
 */
export function escapeItem(label: string): string {
  return label.replace(
    // eslint-disable-next-line no-control-regex
    /[%/\\:[\]\u0000-\u001f\u007f]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** The unit id of one item: `<stage>[<escaped item>]`, shortened with a hash when too long. */
export function unitId(stage: string, label: string): string {
  const escaped = escapeItem(label);
  const id = `${stage}[${escaped}]`;
  if (id.length <= MAX_UNIT_ID) return id;
  const room = Math.max(0, MAX_UNIT_ID - stage.length - 12);
  return `${stage}[${escaped.slice(0, room)}~${shortHash(label)}]`;
}

/** Unit ids for items in order, each unique (a repeated item gets `#<index>`). */
export function unitIds(stage: string, items: readonly FanItem[]): string[] {
  const seen = new Set<string>();
  return items.map((item, index) => {
    let id = unitId(stage, item.label);
    if (seen.has(id)) id = unitId(stage, `${item.label}#${index}`);
    seen.add(id);
    return id;
  });
}

function matches(
  combination: Readonly<Record<string, string>>,
  pattern: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(pattern).every(([key, value]) => combination[key] === value);
}

/**
 * A matrix's combinations, as GitHub Actions makes them: the product of
 * the value lists in key order, minus those an `exclude` entry matches;
 * then each `include` entry extends the combinations whose original values
 * it matches, or is added as a combination of its own when it matches none.
 */
export function matrixItems(matrix: MatrixSpec): FanItem[] {
  const keys = Object.keys(matrix.axes);
  let combinations: Record<string, string>[] = [{}];
  for (const key of keys) {
    const values = matrix.axes[key] ?? [];
    combinations = combinations.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  if (keys.length === 0) combinations = [];
  combinations = combinations.filter((c) => !matrix.exclude.some((e) => matches(c, e)));
  const originals = combinations.map((c) => ({ ...c }));
  for (const include of matrix.include) {
    const onAxes = Object.fromEntries(Object.entries(include).filter(([k]) => keys.includes(k)));
    let extended = false;
    combinations.forEach((combination, index) => {
      const original = originals[index] ?? {};
      if (keys.length === 0 || !matches(original, onAxes)) return;
      Object.assign(combination, include);
      extended = true;
    });
    if (!extended) combinations.push({ ...include });
  }
  return combinations.map((values) => ({
    label: Object.values(values).join(','),
    value: JSON.stringify(values),
    matrix: values,
  }));
}

/** An element of a dynamic list as an item: text as is, anything else as JSON. */
function itemOfValue(value: unknown): FanItem {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return { label: text, value: text };
}

/**
 * The items of a dynamic `foreach:` from the output that holds them, or why
 * it cannot fan out: the output must be a JSON list.
 */
export function listItems(text: string | undefined, source: string): FanItem[] | string {
  if (text === undefined) return `foreach: ${source} was never set`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `foreach: ${source} is not a JSON list (it is ${JSON.stringify(text.slice(0, 60))})`;
  }
  if (!Array.isArray(parsed)) return `foreach: ${source} is JSON but not a list`;
  return parsed.map(itemOfValue);
}
