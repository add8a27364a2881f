'use strict';
// Bundles src/ into dist/app.js (a plain module registry, no dependencies)
// and records the bundle size as a stage output.

const fs = require('node:fs');
const path = require('node:path');

const modules = fs
  .readdirSync('src')
  .filter((name) => name.endsWith('.js'))
  .sort();
const parts = ['(function () {', 'const registry = {};'];
modules.forEach((name, index) => {
  const source = fs.readFileSync(path.join('src', name), 'utf8');
  const id = './' + name.replace(/\.js$/, '');
  parts.push(
    `registry[${JSON.stringify(id)}] = function (module, exports, require) {\n${source}\n};`,
  );
  console.log(`::progress value=${index + 1},total=${modules.length}::Bundled ${name}`);
});
parts.push(
  'const cache = {};',
  'function load(id) {',
  '  if (!cache[id]) { const module = { exports: {} }; cache[id] = module; registry[id](module, module.exports, load); }',
  '  return cache[id].exports;',
  '}',
  "module.exports = load('./index');",
  '})();',
);
fs.mkdirSync('dist', { recursive: true });
const bundle = parts.join('\n') + '\n';
fs.writeFileSync('dist/app.js', bundle);
fs.appendFileSync(process.env.BATON_OUTPUT ?? '/dev/null', `bytes=${Buffer.byteLength(bundle)}\n`);
console.log(`dist/app.js: ${Buffer.byteLength(bundle)} bytes from ${modules.length} modules`);
