import * as assert from 'node:assert/strict';
import type { DiagnosticFix } from '../../src/pipeline/model';
import { parse, yaml } from './helpers';

/** The fix of the one diagnostic with `code`, and the text its range covers. */
function fixOf(text: string, code: string): { fix?: DiagnosticFix; covered: string } {
  const found = parse(text).diagnostics.find((d) => d.code === code);
  assert.ok(found, `no ${code}`);
  const lines = text.split('\n');
  const line = lines[found.line - 1] ?? '';
  const covered =
    found.endLine === found.line
      ? line.slice(found.column - 1, (found.endColumn ?? found.column) - 1)
      : line.slice(found.column - 1);
  return { ...(found.fix === undefined ? {} : { fix: found.fix }), covered };
}

describe('diagnostic fixes', () => {
  it('a misspelt key becomes the key it was meant to be', () => {
    const { fix, covered } = fixOf(yaml('stages:', '  a:', '    rn: make'), 'unknown-key');
    assert.deepEqual(fix, { find: 'rn', replaceWith: 'run' });
    assert.ok(covered.includes('rn'));
  });

  it('a word from another tool becomes its Baton key', () => {
    const { fix } = fixOf(
      yaml('stages:', '  a:', '    run: x', '    depends_on: [b]'),
      'unknown-key',
    );
    assert.deepEqual(fix, { find: 'depends_on', replaceWith: 'needs' });
  });

  it('a misspelt stage in needs becomes the declared stage', () => {
    const text = yaml(
      'stages:',
      '  build:',
      '    run: x',
      '  test:',
      '    run: y',
      '    needs: biuld',
    );
    const { fix, covered } = fixOf(text, 'unknown-need');
    assert.deepEqual(fix, { find: 'biuld', replaceWith: 'build' });
    assert.ok(covered.includes('biuld'));
  });

  it('expressions keep their form: only the misspelt segment changes', () => {
    const inputs = yaml(
      'inputs:',
      '  topic: {}',
      'stages:',
      '  a:',
      '    run: echo ${{ inputs.tpic }}',
    );
    assert.deepEqual(fixOf(inputs, 'unknown-input').fix, {
      find: 'inputs.tpic',
      replaceWith: 'inputs.topic',
    });
    const outputs = yaml(
      'stages:',
      '  build:',
      '    run: x',
      '  test:',
      '    needs: build',
      '    run: echo ${{ stages.buld.outputs.dir }}',
    );
    const { fix, covered } = fixOf(outputs, 'unknown-stage');
    assert.deepEqual(fix, { find: 'stages.buld.', replaceWith: 'stages.build.' });
    assert.ok(covered.includes('stages.buld.'));
  });

  it('enum values are corrected', () => {
    const text = yaml('inputs:', '  mode:', '    type: choise', 'stages:', '  a:', '    run: x');
    assert.deepEqual(fixOf(text, 'bad-value').fix, { find: 'choise', replaceWith: 'choice' });
  });

  it('nothing close, no fix', () => {
    assert.equal(
      fixOf(yaml('stages:', '  a:', '    zzzzzzzz: 1', '    run: x'), 'unknown-key').fix,
      undefined,
    );
  });

  it('an expression in single quotes is double-quoted alone, unless the YAML scalar is quoted', () => {
    const text = yaml(
      'inputs:',
      '  topic: {}',
      'stages:',
      '  a:',
      "    run: echo 'about ${{ inputs.topic }}!'",
    );
    assert.deepEqual(fixOf(text, 'quoted-expression').fix, {
      find: '${{ inputs.topic }}',
      replaceWith: `'"\${{ inputs.topic }}"'`,
      title: 'Leave the single quotes around this expression',
    });
    const quoted = yaml(
      'inputs:',
      '  topic: {}',
      'stages:',
      '  a:',
      `    run: "echo 'about \${{ inputs.topic }}'"`,
    );
    assert.equal(fixOf(quoted, 'quoted-expression').fix, undefined);
  });
});
