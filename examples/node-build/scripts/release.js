'use strict';
// Asks for a release tag with a plain readline question: Baton notices the
// unfinished line and the silence, and turns it into a prompt. Without an
// answer (an empty line, or a non-interactive run) the version from package.json
// is used.

const fs = require('node:fs');
const readline = require('node:readline');

const version = JSON.parse(fs.readFileSync('package.json', 'utf8')).version;

function release(answer) {
  const tag = answer.trim() || `v${version}`;
  const summary = [
    `## Release ${tag}`,
    '',
    `- Bundle: dist/app.js, ${process.argv[2] ?? '?'} bytes`,
    `- Built at ${new Date().toISOString()}`,
    '',
  ].join('\n');
  fs.writeFileSync('dist/RELEASE.md', summary);
  if (process.env.BATON_SUMMARY) fs.appendFileSync(process.env.BATON_SUMMARY, summary);
  fs.appendFileSync(process.env.BATON_OUTPUT ?? '/dev/null', `tag=${tag}\n`);
  console.log(`Tagged ${tag}.`);
}

// Nobody can answer when Baton runs non-interactively (`--yes`): take the default.
if (process.env.BATON_INTERACTIVE === '0') {
  release('');
} else {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  rl.question(`Release tag (empty for v${version}): `, (answer) => {
    rl.close();
    // Baton keeps stdin open for more answers; without this Node would wait for its end.
    process.stdin.destroy();
    release(answer);
  });
}
