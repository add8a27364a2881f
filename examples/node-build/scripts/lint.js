'use strict';
// A small style check: no tabs, no trailing spaces, "use strict" at the top.
// Problems are reported as ::error annotations with file and line.

const fs = require('node:fs');
const path = require('node:path');

const files = ['src', 'test'].flatMap((dir) =>
  fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.js'))
    .map((name) => path.join(dir, name)),
);
let problems = 0;
files.forEach((file, index) => {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines[0] !== "'use strict';") {
    problems++;
    console.log(`::error file=${file},line=1,title=strict mode::Start the file with 'use strict';`);
  }
  lines.forEach((line, number) => {
    if (/\t| +$/.test(line)) {
      problems++;
      console.log(`::error file=${file},line=${number + 1}::Tab or trailing space`);
    }
  });
  console.log(`::progress value=${index + 1},total=${files.length}::Checked ${file}`);
});
console.log(`${files.length} files checked, ${problems} problems.`);
process.exitCode = problems > 0 ? 1 : 0;
