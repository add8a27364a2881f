import * as assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-types';
import { STAGE_KEYS, TOP_LEVEL_KEYS } from '@baton/core';
import { completionsAt, type KnownOutputs } from '../../src/language/completion';
import { lines, withCursor } from './languageHelpers';

const NO_OUTPUTS: KnownOutputs = new Map();

/** Labels of the completion items at the `|` of `text`. */
function labelsAt(text: string, outputs = NO_OUTPUTS, uri?: string): string[] {
  return itemsAt(text, outputs, uri).map((item) => item.label);
}

function itemsAt(text: string, outputs = NO_OUTPUTS, uri?: string): CompletionItem[] {
  const { document, offset } = withCursor(text, uri);
  return completionsAt(document, offset, outputs);
}

/** The text of `text` (cursor removed) after applying `item`'s edit. */
function applied(text: string, item: CompletionItem | undefined): string {
  const { document } = withCursor(text);
  assert.ok(item?.textEdit && 'range' in item.textEdit, 'an item with a text edit');
  const { range, newText } = item.textEdit;
  const clean = document.text;
  return (
    clean.slice(0, document.offsetAt(range.start)) +
    newText +
    clean.slice(document.offsetAt(range.end))
  );
}

describe('language: completion', () => {
  it('offers the top-level keys not yet written, with their documentation', () => {
    const items = itemsAt(lines('name: x', '|', 'stages:', '  a:', '    run: x'));
    assert.deepEqual(
      items.map((i) => i.label).sort(),
      TOP_LEVEL_KEYS.filter((k) => k !== 'name' && k !== 'stages').sort(),
    );
    const concurrency = items.find((i) => i.label === 'concurrency');
    assert.equal(concurrency?.detail, 'integer (1–10000)');
    assert.match(JSON.stringify(concurrency?.documentation), /Most stages running at once/);
  });

  it('offers stage keys inside a stage while the file does not parse', () => {
    const text = lines('stages:', '  build:', '    run: make', '    ne|', '  other: [');
    assert.deepEqual(labelsAt(text).sort(), [...STAGE_KEYS].sort());
    const needs = itemsAt(text).find((i) => i.label === 'needs');
    assert.ok(applied(text, needs).includes('    needs: \n'));
    const retry = itemsAt(text).find((i) => i.label === 'retry');
    assert.ok(applied(text, retry).includes('    retry:\n      \n'), 'a mapping key opens a block');
  });

  it('replaces the whole key when the cursor is inside one, keeping its value', () => {
    const text = lines('stages:', '  a:', '    ru|n: make');
    const run = itemsAt(text).find((i) => i.label === 'run');
    assert.equal(applied(text, run), lines('stages:', '  a:', '    run: make'));
  });

  it('offers the keys of nested mappings: retry, schedule, an input', () => {
    assert.ok(labelsAt(lines('stages:', '  a:', '    retry:', '      |')).includes('backoff'));
    assert.ok(labelsAt(lines('schedule:', '  |', 'stages: {}')).includes('overlap'));
    assert.ok(labelsAt(lines('inputs:', '  topic:', '    |')).includes('prompt'));
    assert.deepEqual(labelsAt(lines('stages:', '  |')), [], 'stage ids are the user’s to choose');
  });

  it('offers stage ids in needs, in every list form, never the stage itself', () => {
    const head = ['stages:', '  fetch:', '    run: x', '  build:', '    run: y'];
    assert.deepEqual(labelsAt(lines(...head, '  test:', '    needs: |')), ['fetch', 'build']);
    assert.deepEqual(labelsAt(lines(...head, '  test:', '    needs: [fetch, b|')), [
      'fetch',
      'build',
    ]);
    assert.deepEqual(labelsAt(lines(...head, '  test:', '    needs:', '      - |')), [
      'fetch',
      'build',
    ]);
    assert.deepEqual(labelsAt(lines(...head.slice(0, 3), '    needs: |')), []);
  });

  it('offers enum and boolean values', () => {
    assert.deepEqual(labelsAt(lines('inputs:', '  a:', '    type: |')), [
      'text',
      'choice',
      'multi',
      'number',
      'confirm',
    ]);
    assert.deepEqual(labelsAt(lines('schedule:', '  overlap: q|')), [
      'skip',
      'queue',
      'cancel-running',
    ]);
    assert.deepEqual(labelsAt(lines('stages:', '  a:', '    continue_on_error: |')), [
      'true',
      'false',
    ]);
    assert.deepEqual(labelsAt(lines('stages:', '  a:', '    venv: |')), ['false']);
  });

  it('offers inputs and upstream outputs inside ${{ }}, closing the braces', () => {
    const text = lines(
      'inputs:',
      '  topic: {}',
      'stages:',
      '  fetch:',
      '    run: x',
      '  lint:',
      '    run: y',
      '  build:',
      '    needs: fetch',
      '    run: make ${{ |',
    );
    const outputs: KnownOutputs = new Map([
      ['fetch', ['dir', 'count']],
      ['lint', ['report']],
    ]);
    assert.deepEqual(labelsAt(text, outputs), [
      'inputs.topic',
      'stages.fetch.outputs.dir',
      'stages.fetch.outputs.count',
    ]);
    const dir = itemsAt(text, outputs).find((i) => i.label === 'stages.fetch.outputs.dir');
    assert.ok(applied(text, dir).includes('run: make ${{ stages.fetch.outputs.dir }}\n'));
    const tight = itemsAt(text.replace('${{ |', '${{|'), outputs)[0];
    assert.ok(applied(text.replace('${{ |', '${{|'), tight).includes('${{ inputs.topic }}'));
    const closed = text.replace('${{ |', '${{ inp| }}');
    const topic = itemsAt(closed, outputs)[0];
    assert.ok(applied(closed, topic).includes('${{ inputs.topic }}'));
  });

  it('says when no outputs of an upstream stage were recorded yet', () => {
    const text = lines(
      'stages:',
      '  a:',
      '    run: x',
      '  b:',
      '    needs: a',
      '    env:',
      '      X: ${{ st|',
    );
    const [item] = itemsAt(text);
    assert.equal(item?.label, 'stages.a.outputs.');
    assert.match(String(item?.detail), /no outputs recorded yet/);
  });

  it('works in JSON files: quoted keys, ids and values', () => {
    const uri = 'file:///work/demo.pipeline.json';
    const keys = labelsAt('{"stages": {"a": {"run": "x", |}}}', NO_OUTPUTS, uri);
    assert.ok(keys.includes('needs') && keys.includes('retry'));
    assert.ok(
      !labelsAt('{"stages": {"a": {"run": "x", |"cwd": "."}}}', NO_OUTPUTS, uri).includes('run'),
    );
    const item = itemsAt('{"stages": {"a": {"run": "x", |}}}', NO_OUTPUTS, uri).find(
      (i) => i.label === 'needs',
    );
    assert.ok(
      item?.textEdit && 'newText' in item.textEdit && item.textEdit.newText === '"needs": ',
    );
    assert.deepEqual(
      labelsAt('{"stages": {"a": {"run": "x"}, "b": {"needs": ["|"]}}}', NO_OUTPUTS, uri),
      ['a'],
    );
    assert.deepEqual(labelsAt('{"inputs": {"x": {"type": |', NO_OUTPUTS, uri).slice(0, 2), [
      'text',
      'choice',
    ]);
    assert.deepEqual(
      labelsAt('{"inputs": {"t": {}}, "stages": {"a": {"run": "${{ |', NO_OUTPUTS, uri),
      ['inputs.t'],
    );
  });
});
