'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { readingTime } = require('../src/readingTime');

test('short texts take one minute', () => {
  assert.strictEqual(readingTime('a few words'), 1);
});

test('longer texts scale with their word count', () => {
  assert.strictEqual(readingTime('word '.repeat(660)), 3);
});
