import * as assert from 'node:assert/strict';
import { itReportsEach, parseValid, stage, yaml } from './helpers';

describe('pipeline: venv', () => {
  it('gives the top-level venv to every stage that names none, and lets a stage opt out', () => {
    const pipeline = parseValid(
      yaml(
        'venv: .venv',
        'stages:',
        '  setup: { run: python3 -m venv .venv, venv: false }',
        '  train: { run: python train.py, needs: setup }',
        '  other: { run: python other.py, venv: envs/other }',
      ),
    );
    assert.equal(pipeline.venv, '.venv');
    assert.deepEqual(
      pipeline.stages.map((s) => [s.id, s.venv]),
      [
        ['setup', undefined],
        ['train', '.venv'],
        ['other', 'envs/other'],
      ],
    );
  });

  it('leaves stages without a venv when neither level names one', () => {
    const pipeline = parseValid(stage());
    assert.equal(pipeline.venv, undefined);
    assert.equal(pipeline.stages[0]?.venv, undefined);
  });

  describe('mistakes', () => {
    itReportsEach([
      [
        'a venv that is a list',
        stage('    venv: [a]'),
        'wrong-type',
        4,
        11,
        /venv: expected the folder/,
      ],
      ['an empty venv', stage('    venv: ""'), 'wrong-type', 4, 11, /venv: expected/],
      [
        'venv: false at the top level',
        yaml('venv: false', 'stages:', '  a: { run: x }'),
        'wrong-type',
        1,
        7,
        /venv: expected a folder/,
      ],
      [
        'an expression in venv',
        stage('    venv: "${{ inputs.x }}"'),
        'expression-not-substituted',
        4,
        11,
        /not substituted in venv/,
      ],
    ]);
  });
});
