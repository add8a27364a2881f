import * as assert from 'node:assert/strict';
import {
  findReferences,
  inputEnvName,
  renderAnswer,
  stageOutputEnvName,
  substituteCommand,
  substituteText,
} from '../../src/pipeline/expressions';
import type { ExpressionContext } from '../../src/pipeline/expressions';

const ctx: ExpressionContext = {
  inputs: { pillars: ['Pillar 1', 'Pillar 2'], count: 3, dry: false, name: "O'Brien; rm -rf /" },
  stageOutputs: { translate: { count: '42' } },
};

describe('expressions', () => {
  it('finds input and stage-output references with their offsets, tolerating whitespace', () => {
    const template = 'a ${{inputs.x}} b ${{   stages.s-1.outputs.out_2   }}';
    const { references, errors } = findReferences(template);
    assert.deepEqual(errors, []);
    assert.deepEqual(references, [
      { kind: 'input', id: 'x', offset: 2, length: 13 },
      { kind: 'stageOutput', stage: 's-1', output: 'out_2', offset: 18, length: 35 },
    ]);
  });

  it('reports unknown forms and unclosed expressions at their ${{', () => {
    const { references, errors } = findReferences(
      'x ${{ input.a }} ${{ env.HOME }} ${{}} ${{ inputs.ok }} ${{ inputs.b',
    );
    assert.deepEqual(
      references.map((r) => r.offset),
      [39],
    );
    assert.deepEqual(
      errors.map((e) => e.offset),
      [2, 17, 33, 56],
    );
    assert.match(errors[0]?.message ?? '', /inputs\./);
    assert.match(errors[1]?.message ?? '', /unknown expression "env\.HOME"/);
    assert.match(errors[2]?.message ?? '', /empty/);
    assert.match(errors[3]?.message ?? '', /never closed/);
  });

  it('turns every reference in a command into a variable, so values cannot inject shell syntax', () => {
    const result = substituteCommand(
      'greet "${{ inputs.name }}" --n ${{ inputs.count }} --c=${{stages.translate.outputs.count}} ${{ inputs.name }}',
      ctx,
    );
    assert.deepEqual(result.errors, []);
    assert.equal(
      result.command,
      'greet "${BATON_INPUT_NAME}" --n ${BATON_INPUT_COUNT} --c=${BATON_OUT_TRANSLATE__COUNT} ${BATON_INPUT_NAME}',
    );
    assert.deepEqual(result.env, {
      BATON_INPUT_NAME: "O'Brien; rm -rf /",
      BATON_INPUT_COUNT: '3',
      BATON_OUT_TRANSLATE__COUNT: '42',
    });
  });

  it('reports missing values and sets their variables to empty', () => {
    const result = substituteCommand('x ${{ inputs.nope }} ${{ stages.a.outputs.b }}', ctx);
    assert.equal(result.command, 'x ${BATON_INPUT_NOPE} ${BATON_OUT_A__B}');
    assert.deepEqual(result.env, { BATON_INPUT_NOPE: '', BATON_OUT_A__B: '' });
    assert.equal(result.errors.length, 2);
    assert.match(result.errors[0] ?? '', /input "nope" has no value/);
    assert.match(result.errors[1] ?? '', /stage "a" produced no output "b"/);
  });

  it('reports two different references that would share one variable', () => {
    const result = substituteCommand('${{ inputs.a-b }} ${{ inputs.a_b }}', {
      inputs: { 'a-b': '1', a_b: '2' },
      stageOutputs: {},
    });
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0] ?? '', /BATON_INPUT_A_B/);
  });

  it('does not read inherited properties as values', () => {
    const result = substituteText('${{ inputs.constructor }}', ctx);
    assert.deepEqual(result.errors, ['input "constructor" has no value']);
  });

  it('substitutes literal values into text', () => {
    const result = substituteText(
      'out/${{ inputs.pillars }}/${{ stages.translate.outputs.count }}-${{ inputs.dry }}',
      ctx,
    );
    assert.deepEqual(result, { text: 'out/Pillar 1,Pillar 2/42-false', errors: [] });
    assert.deepEqual(substituteText('no expressions', ctx), { text: 'no expressions', errors: [] });
    const broken = substituteText('a ${{ oops }} b', ctx);
    assert.equal(broken.text, 'a ${{ oops }} b');
    assert.equal(broken.errors.length, 1);
  });

  it('names environment variables predictably', () => {
    assert.equal(inputEnvName('pillars'), 'BATON_INPUT_PILLARS');
    assert.equal(inputEnvName('dry-run'), 'BATON_INPUT_DRY_RUN');
    assert.equal(stageOutputEnvName('trans-late', 'count'), 'BATON_OUT_TRANS_LATE__COUNT');
  });

  it('renders answers as text', () => {
    assert.equal(renderAnswer('a b'), 'a b');
    assert.equal(renderAnswer(2.5), '2.5');
    assert.equal(renderAnswer(true), 'true');
    assert.equal(renderAnswer(false), 'false');
    assert.equal(renderAnswer(['x', 'y']), 'x,y');
    assert.equal(renderAnswer([]), '');
  });
});
