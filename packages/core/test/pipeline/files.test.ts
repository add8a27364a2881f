import * as assert from 'node:assert/strict';
import { isJsonPipelineFile, isPipelineFile, pipelineIdFromFile } from '../../src/pipeline/files';

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

  it('reads only the last part of a path, after "/" or "\\", whichever comes last', () => {
    assert.equal(isPipelineFile('a.pipeline.yaml\\b.txt'), false);
    assert.equal(isPipelineFile('a\\b/c.pipeline.yaml'), true);
    assert.equal(isPipelineFile('a/b\\c.pipeline.yaml'), true);
    assert.equal(isPipelineFile('x.pipelineXyaml'), false);
    assert.equal(isPipelineFile('x.pipeline.yamlx'), false);
    assert.equal(pipelineIdFromFile('a/b\\c.pipeline.yml'), 'c');
    assert.equal(pipelineIdFromFile('a\\b/c.pipeline.yml'), 'c');
    assert.equal(pipelineIdFromFile('dir.pipeline.yaml/x'), 'x');
  });

  it('tells JSON pipeline files by their extension, in any case', () => {
    assert.equal(isJsonPipelineFile('a/b.pipeline.json'), true);
    assert.equal(isJsonPipelineFile('C:\\b.pipeline.JSON'), true);
    assert.equal(isJsonPipelineFile('b.pipeline.yaml'), false);
    assert.equal(isJsonPipelineFile('b.json.yaml'), false);
    assert.equal(isJsonPipelineFile('dir.json/b.pipeline.yaml'), false);
    assert.equal(isJsonPipelineFile('dir.json\\b.pipeline.yaml'), false);
  });
});
