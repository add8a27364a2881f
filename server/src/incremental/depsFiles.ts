import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import type { DirectoryListings, ListedEntry } from './directoryListings';

const GLOB_CHARS = /[*?[\]{}()!+@]/;

// Compiled name patterns, by pattern: a generated pipeline repeats the same
// few (`*.txt`) in every stage, and compiling one costs more than listing a folder.
const nameMatchers = new Map<string, (name: string) => boolean>();

/** More distinct patterns than any few pipelines hold; past it the cache starts afresh. */
const MATCHERS_KEPT = 1000;

function nameMatcher(pattern: string): (name: string) => boolean {
  let isMatch = nameMatchers.get(pattern);
  if (isMatch === undefined) {
    if (nameMatchers.size >= MATCHERS_KEPT) nameMatchers.clear();
    isMatch = picomatch(pattern, { dot: true });
    nameMatchers.set(pattern, isMatch);
  }
  return isMatch;
}

/** The entries of `dir`, from `listings` when given (see `DirectoryListings`), else listed now. */
function entriesOf(dir: string, listings: DirectoryListings | undefined): readonly ListedEntry[] {
  if (listings !== undefined) return listings.list(dir) ?? [];
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).map((entry) => ({
      name: entry.name,
      kind: entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'symlink' : 'other',
    }));
  } catch {
    return [];
  }
}

/** Whether `file` is a file now, through `listings` when given (which notes the look). */
function isFileNow(file: string, listings: DirectoryListings | undefined): boolean {
  if (listings !== undefined) return listings.isFile(file);
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}

/** The files in `dir` whose names match `pattern` (one path segment, no `**`), sorted. */
function matchInDirectory(
  cwd: string,
  dir: string,
  pattern: string,
  listings: DirectoryListings | undefined,
): string[] {
  const isMatch = nameMatcher(pattern);
  const found: string[] = [];
  for (const entry of entriesOf(path.join(cwd, dir), listings)) {
    if (entry.kind === 'other' || !isMatch(entry.name)) continue;
    const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.kind === 'file') found.push(relative);
    else if (isFileNow(path.join(cwd, relative), listings)) found.push(relative);
  }
  return found;
}

/**
 * The files `patterns` (globs relative to `cwd`, as `outputs:` takes them)
 * match, as sorted relative paths with `/`, each once. A literal path is one
 * stat and a pattern whose only wildcard is in its last segment one
 * directory listing, since a check of a thousand stages cannot afford a full
 * glob walk each; anything else goes to tinyglobby with the same options
 * `outputs:` uses (dot files included, files only). With `listings`, a
 * directory whose stat is unchanged is not listed again.
 */
export async function matchFiles(
  patterns: readonly string[],
  cwd: string,
  listings?: DirectoryListings,
): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const slash = pattern.lastIndexOf('/');
    const dir = slash < 0 ? '' : pattern.slice(0, slash);
    const last = pattern.slice(slash + 1);
    if (
      path.isAbsolute(pattern) ||
      dir.split('/').some((part) => part === '..' || GLOB_CHARS.test(part))
    ) {
      listings?.readUnwitnessed(`deps pattern ${pattern} needs a glob walk`);
      const matches = await glob(pattern, {
        cwd,
        dot: true,
        onlyFiles: true,
        expandDirectories: false,
      });
      for (const match of matches) found.add(match);
    } else if (!GLOB_CHARS.test(last)) {
      const normal = path.posix.normalize(pattern);
      if (isFileNow(path.join(cwd, normal), listings)) found.add(normal);
    } else {
      for (const match of matchInDirectory(
        cwd,
        dir === '.' ? '' : dir.replace(/^\.\//, ''),
        last,
        listings,
      )) {
        found.add(match);
      }
    }
  }
  return [...found].sort();
}
