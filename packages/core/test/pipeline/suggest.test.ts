import * as assert from 'node:assert/strict';
import { closestMatch, didYouMean, editDistance } from '../../src/pipeline/suggest';

describe('suggestions', () => {
  it('counts edits, with a swap of neighbours as one', () => {
    assert.equal(editDistance('build', 'build'), 0);
    assert.equal(editDistance('biuld', 'build'), 1);
    assert.equal(editDistance('timeout', 'tiemout'), 1);
    assert.equal(editDistance('retry', 'retries'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('gives up beyond the limit', () => {
    assert.equal(editDistance('a', 'completely different', 3), 4);
    assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3);
  });

  it('suggests spelling variants first, then the nearest close word', () => {
    assert.equal(closestMatch('idleTimeout', ['timeout', 'idle_timeout']), 'idle_timeout');
    assert.equal(closestMatch('CONTINUE-ON-ERROR', ['continue_on_error']), 'continue_on_error');
    assert.equal(closestMatch('stagse', ['name', 'stages']), 'stages');
    assert.equal(closestMatch('zzz', ['name', 'stages']), undefined);
    assert.equal(closestMatch('x', []), undefined);
  });

  it('phrases the suggestion ready to append', () => {
    assert.equal(didYouMean('fetsh', ['fetch', 'report']), ' Did you mean "fetch"?');
    assert.equal(didYouMean('qqqq', ['fetch']), '');
  });
});
