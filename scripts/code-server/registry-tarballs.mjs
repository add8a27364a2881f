// Rewrites every entry of an npm shrinkwrap that npm would fetch from a git
// host (github URLs, `git+ssh://…`) so it points at the npm registry's tarball
// of the same name and version instead. code-server 4.96.4 pins
// @vscode/proxy-agent to a GitHub commit; on a machine that reaches only the
// npm registry that fetch fails, while the registry holds the same release.
//
// Usage: node registry-tarballs.mjs <path to npm-shrinkwrap.json>
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const GIT_SOURCE = /^(git\+|git:|github:|https:\/\/github\.com\/|ssh:\/\/)/;

/** The package name of a shrinkwrap key such as `node_modules/a/node_modules/@b/c`. */
function packageNameOf(key) {
  return key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** Asks the configured registry where the tarball of name@version is and its hash. */
function registryDist(name, version) {
  const json = execFileSync('npm', ['view', `${name}@${version}`, 'dist', '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const dist = JSON.parse(json);
  if (typeof dist?.tarball !== 'string') {
    throw new Error(`the registry has no tarball for ${name}@${version}`);
  }
  return dist;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node registry-tarballs.mjs <npm-shrinkwrap.json>');
  process.exit(2);
}
const shrinkwrap = JSON.parse(readFileSync(file, 'utf8'));
let rewritten = 0;
for (const [key, entry] of Object.entries(shrinkwrap.packages ?? {})) {
  if (!key || typeof entry.resolved !== 'string' || !GIT_SOURCE.test(entry.resolved)) continue;
  const name = packageNameOf(key);
  const dist = registryDist(name, entry.version);
  console.error(`  ${name}@${entry.version}: ${entry.resolved} -> ${dist.tarball}`);
  entry.resolved = dist.tarball;
  if (typeof dist.integrity === 'string') entry.integrity = dist.integrity;
  rewritten += 1;
}
writeFileSync(file, JSON.stringify(shrinkwrap, null, 2) + '\n');
console.error(
  `  ${rewritten} git-hosted entr${rewritten === 1 ? 'y' : 'ies'} now resolve from the registry`,
);
