'use strict';

const WORDS_PER_MINUTE = 220;

/** Estimated reading time of a text in whole minutes (at least one). */
function readingTime(text) {
  const words = text.split(/\s+/).filter(Boolean).length;
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}

module.exports = { readingTime };
