'use strict';

const { slugify } = require('./slug');
const { readingTime } = require('./readingTime');

/** Metadata of an article for the site index. */
function describe(article) {
  return { slug: slugify(article.title), minutes: readingTime(article.body) };
}

module.exports = { describe, slugify, readingTime };
