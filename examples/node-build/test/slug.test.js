'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { slugify } = require('../src/slug');

test('slugify drops accents and punctuation', () => {
  assert.strictEqual(slugify('Crème brûlée, at home!'), 'creme-brulee-at-home');
});

test('slugify trims leading and trailing dashes', () => {
  assert.strictEqual(slugify('  -- Hello --  '), 'hello');
});
