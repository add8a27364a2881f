import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';

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

/** The files in `dir` whose names match `pattern` (one path segment, no `**`), sorted. */
function matchInDirectory(cwd: string, dir: string, pattern: string): string[] {
  const isMatch = nameMatcher(pattern);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(cwd, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (!isMatch(entry.name)) continue;
    const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isFile()) found.push(relative);
    else if (
      entry.isSymbolicLink() &&
      fs.statSync(path.join(cwd, relative), { throwIfNoEntry: false })?.isFile()
    )
      found.push(relative);
  }
  return found;
}

/**
 * The files `patterns` (globs relative to `cwd`, as `outputs:` takes them)
 * match, as sorted relative paths with `/`, each once. A literal path is one
 * stat and a pattern whose only wildcard is in its last segment one
 * directory listing, since a check of a thousand stages cannot afford a full
 * glob walk each; anything else goes to tinyglobby with the same options
 * `outputs:` uses (dot files included, files only).
 */
export async function matchFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const slash = pattern.lastIndexOf('/');
    const dir = slash < 0 ? '' : pattern.slice(0, slash);
    const last = pattern.slice(slash + 1);
    if (
      path.isAbsolute(pattern) ||
      dir.split('/').some((part) => part === '..' || GLOB_CHARS.test(part))
    ) {
      const matches = await glob(pattern, {
        cwd,
        dot: true,
        onlyFiles: true,
        expandDirectories: false,
      });
      for (const match of matches) found.add(match);
    } else if (!GLOB_CHARS.test(last)) {
      const normal = path.posix.normalize(pattern);
      if (fs.statSync(path.join(cwd, normal), { throwIfNoEntry: false })?.isFile())
        found.add(normal);
    } else {
      for (const match of matchInDirectory(
        cwd,
        dir === '.' ? '' : dir.replace(/^\.\//, ''),
        last,
      )) {
        found.add(match);
      }
    }
  }
  return [...found].sort();
}
