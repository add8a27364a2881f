import * as assert from 'node:assert/strict';
import { SymbolKind } from 'vscode-languageserver-types';
import { documentSymbols } from '../../src/language/documentSymbols';
import { definitionAt, referencesAt } from '../../src/language/navigation';
import { prepareRenameAt, renameAt } from '../../src/language/rename';
import { createPipelineDocument } from '../../src/language/pipelineDocument';
import { DEMO, TEST_URI, lines, textOf, withCursor } from './languageHelpers';

/** `DEMO` with the cursor placed before the `n`th (0-based) `word`. */
function demoAt(word: string, nth = 0): ReturnType<typeof withCursor> {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = DEMO.indexOf(word, at + 1);
  assert.ok(at >= 0, `no ${word} #${nth}`);
  return withCursor(`${DEMO.slice(0, at)}|${DEMO.slice(at)}`);
}

describe('language: symbols, navigation and rename', () => {
  it('the outline lists every top-level key, with inputs and stages under theirs', () => {
    const symbols = documentSymbols(createPipelineDocument(TEST_URI, DEMO));
    assert.deepEqual(
      symbols.map((s) => [s.name, s.kind]),
      [
        ['name', SymbolKind.Property],
        ['inputs', SymbolKind.Namespace],
        ['stages', SymbolKind.Namespace],
      ],
    );
    const stages = symbols[2]?.children ?? [];
    assert.deepEqual(
      stages.map((s) => [s.name, s.detail]),
      [
        ['fetch', 'echo ${{ inputs.topic }}'],
        ['build', 'needs fetch'],
        ['test', 'needs build, fetch'],
      ],
    );
    assert.deepEqual(
      symbols[1]?.children?.map((s) => [s.name, s.detail]),
      [['topic', 'text']],
    );
    // selectionRange is the key; range spans the whole stage.
    assert.deepEqual(stages[1]?.selectionRange, {
      start: { line: 8, character: 2 },
      end: { line: 8, character: 7 },
    });
    assert.equal(stages[1]?.range.end.line, 10);
  });

  it('goes from a use in needs, or in an expression, to the declaration', () => {
    for (const [word, nth] of [
      ['fetch', 1],
      ['fetch', 2],
      ['fetch', 3],
    ] as const) {
      const { document, offset } = demoAt(word, nth);
      const [location] = definitionAt(document, offset);
      assert.ok(location, `a definition for ${word} #${nth}`);
      assert.deepEqual(location.range.start, { line: 6, character: 2 });
      assert.equal(textOf(document, location.range), 'fetch');
    }
    const { document, offset } = demoAt('topic', 2);
    assert.deepEqual(definitionAt(document, offset)[0]?.range.start, { line: 2, character: 2 });
  });

  it('finds every reference, with or without the declaration', () => {
    const { document, offset } = demoAt('topic');
    const all = referencesAt(document, offset, true);
    assert.deepEqual(
      all.map((l) => l.range.start.line),
      [2, 7, 13],
    );
    assert.equal(referencesAt(document, offset, false).length, 2);
    assert.deepEqual(definitionAt(document, DEMO.indexOf('Demo')), []);
  });

  it('renames a stage everywhere: key, needs lists and expressions', () => {
    const { document, offset } = demoAt('build', 1);
    assert.deepEqual(prepareRenameAt(document, offset)?.placeholder, 'build');
    const edit = renameAt(document, offset, 'compile');
    assert.ok(!('refused' in edit));
    const edits = edit.changes?.[TEST_URI] ?? [];
    assert.equal(edits.length, 3);
    let text = document.text;
    for (const e of [...edits].sort(
      (a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start),
    )) {
      text =
        text.slice(0, document.offsetAt(e.range.start)) +
        e.newText +
        text.slice(document.offsetAt(e.range.end));
    }
    assert.ok(text.includes('  compile:\n') && text.includes('needs: [compile, fetch]'));
    assert.ok(text.includes('${{ stages.compile.outputs.report }}') && !text.includes('build'));
  });

  it('refuses a rename to a bad or taken id, and where there is nothing to rename', () => {
    const { document, offset } = demoAt('build');
    assert.match(
      String((renameAt(document, offset, 'a b') as { refused: string }).refused),
      /not a valid stage id/,
    );
    assert.match(
      String((renameAt(document, offset, 'test') as { refused: string }).refused),
      /already a stage "test"/,
    );
    assert.equal(prepareRenameAt(document, DEMO.indexOf('Demo')), undefined);
  });

  it('counts positions in UTF-16 code units', () => {
    const line = '  b: {run: "echo 🎼🎼", needs: [a]}';
    const text = lines('stages:', '  a: {run: x}', line.replace('[a]', '[|a]'));
    const { document, offset } = withCursor(text);
    const references = referencesAt(document, offset, false);
    // 🎼 is two UTF-16 code units: JavaScript's string index is LSP's default column.
    assert.deepEqual(references[0]?.range.start, { line: 2, character: line.indexOf('[a]') + 1 });
    assert.equal(line.indexOf('[a]') + 1, [...line.slice(0, line.indexOf('[a]') + 1)].length + 2);
  });
});
