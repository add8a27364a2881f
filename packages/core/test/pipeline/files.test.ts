import * as assert from 'node:assert/strict';
import { isPipelineFile, pipelineIdFromFile } from '../../src/pipeline/files';

describe('pipeline file names', () => {
  it('recognises the three suffixes on POSIX and Windows paths', () => {
    assert.equal(isPipelineFile('review.pipeline.yaml'), true);
    assert.equal(isPipelineFile('/work/a/build.pipeline.yml'), true);
    assert.equal(isPipelineFile('C:\\work\\etl.pipeline.json'), true);
    assert.equal(isPipelineFile('review.yaml'), false);
    assert.equal(isPipelineFile('.pipeline.yaml'), false);
    assert.equal(isPipelineFile('dir.pipeline.yaml/readme.md'), false);
    assert.equal(isPipelineFile('review.pipeline.yaml.bak'), false);
  });

  it('derives the id from the file name', () => {
    assert.equal(pipelineIdFromFile('/work/examples/review.pipeline.yaml'), 'review');
    assert.equal(pipelineIdFromFile('C:\\x\\nightly-etl.pipeline.json'), 'nightly-etl');
    assert.equal(pipelineIdFromFile('a.b.pipeline.yml'), 'a.b');
    assert.equal(pipelineIdFromFile('plain.txt'), 'plain.txt');
  });
});
