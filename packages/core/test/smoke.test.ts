import * as assert from 'node:assert/strict';
import type { Pipeline } from '../src/index';

describe('core package', () => {
  it('exports the pipeline model types', () => {
    const p: Pipeline = {
      id: 'p',
      file: 'p.pipeline.yaml',
      name: 'P',
      inputs: [],
      env: {},
      secretEnv: [],
      stages: [],
    };
    assert.equal(p.stages.length, 0);
  });
});
