import * as assert from 'node:assert/strict';
import { codeActionsFor } from '../../src/language/codeActions';
import { hoverAt, lastRunText, type LastStageRuns } from '../../src/language/hover';
import { toLspDiagnostic } from '../../src/language/lspDiagnostics';
import { createPipelineDocument } from '../../src/language/pipelineDocument';
import { DEMO, TEST_URI, lines, textOf, withCursor } from './languageHelpers';

const NOW = 1_000_000;

/** The markdown of the hover at the `|` of `text`. */
function hoverText(text: string, runs: LastStageRuns = new Map()): string | undefined {
  const { document, offset } = withCursor(text);
  const hover = hoverAt(document, offset, runs, NOW);
  const contents = hover?.contents;
  return contents !== undefined && typeof contents === 'object' && 'value' in contents
    ? contents.value
    : undefined;
}

describe('language: hover', () => {
  it('documents a key with its type, from the schema', () => {
    const text = hoverText(lines('stages:', '  a:', '    run: x', '    idle_tim|eout: 5m'));
    assert.match(String(text), /^\*\*idle_timeout\*\*: `duration`/);
    assert.match(String(text), /No output and no progress for this long/);
    assert.match(
      String(hoverText(lines('stages:', '  a:', '    retry:', '      jit|ter: 0.5'))),
      /`number \(0–1\)`/,
    );
    assert.match(String(hoverText(lines('sche|dule: "@daily"', 'stages: {}'))), /cron schedule/);
    assert.equal(hoverText(lines('stages:', '  a:', '    run: ec|ho')), undefined);
  });

  it('shows a stage’s needs and its last run, wherever its id appears', () => {
    const runs: LastStageRuns = new Map([
      [
        'fetch',
        {
          runId: 'r7',
          runStatus: 'failed',
          status: 'succeeded',
          attempt: 2,
          startedAt: NOW - 2500,
          endedAt: NOW - 100,
        },
      ],
      [
        'build',
        { runId: 'r7', runStatus: 'failed', status: 'running', attempt: 1, startedAt: NOW - 4000 },
      ],
    ]);
    const onUse = hoverText(DEMO.replace('needs: fetch', 'needs: fet|ch'), runs);
    assert.match(String(onUse), /\*\*stage `fetch`\*\*/);
    assert.match(String(onUse), /Last run: succeeded in 2\.4s \(attempt 2, run `r7`\)/);
    const onKey = hoverText(DEMO.replace('  build:', '  bu|ild:'), runs);
    assert.match(String(onKey), /needs `fetch`/);
    assert.match(String(onKey), /running for 4\.0s/);
    assert.match(String(hoverText(DEMO.replace('  test:', '  te|st:'), runs)), /Not run yet\./);
  });

  it('shows an input’s type and question', () => {
    const text = hoverText(DEMO.replace('echo ${{ inputs.topic }}', 'echo ${{ inputs.to|pic }}'));
    assert.match(String(text), /\*\*input `topic`\*\*: `text`/);
    assert.match(String(text), /What about\?/);
  });

  it('phrases the last run', () => {
    assert.equal(lastRunText(undefined, NOW), 'Not run yet.');
    assert.equal(
      lastRunText(
        {
          runId: 'r1',
          runStatus: 'succeeded',
          status: 'succeeded',
          attempt: 1,
          startedAt: 0,
          endedAt: 61_000,
        },
        NOW,
      ),
      'Last run: succeeded in 1m 01s (run `r1`)',
    );
  });
});

describe('language: quick fixes and diagnostics', () => {
  it('turns each "Did you mean" into a preferred quick fix that makes the edit', () => {
    const text = lines(
      'inputs:',
      '  topic: {type: txt}',
      'stages:',
      '  build:',
      '    rn: make ${{ inputs.tpic }}',
      '  test:',
      '    run: x',
      '    needs: biuld',
    );
    const document = createPipelineDocument(TEST_URI, text);
    const whole = { start: document.positionAt(0), end: document.positionAt(text.length) };
    const actions = codeActionsFor(document, whole);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Change "txt" to "text"', 'Change "rn" to "run"', 'Change "biuld" to "build"'],
    );
    for (const action of actions) {
      assert.equal(action.kind, 'quickfix');
      assert.equal(action.isPreferred, true);
      const [edit] = action.edit?.changes?.[TEST_URI] ?? [];
      assert.ok(edit);
      assert.ok(action.title.includes(`"${textOf(document, edit.range)}"`), action.title);
      assert.equal(action.diagnostics?.length, 1);
    }
    // `rn` hides run's expressions from the validator; fixed, the misspelt input shows and is fixed too.
    const fixed = text.replace('rn:', 'run:');
    const second = createPipelineDocument(TEST_URI, fixed);
    const titles = codeActionsFor(second, {
      start: second.positionAt(0),
      end: second.positionAt(fixed.length),
    }).map((a) => a.title);
    assert.ok(titles.includes('Change "inputs.tpic" to "inputs.topic"'), titles.join());
  });

  it('double-quotes an expression alone out of the shell’s single quotes', () => {
    const text = lines(
      'inputs:',
      '  topic: {}',
      'stages:',
      '  a:',
      "    run: echo 'on ${{ inputs.topic }} now'",
    );
    const document = createPipelineDocument(TEST_URI, text);
    const [action] = codeActionsFor(document, {
      start: { line: 4, character: 20 },
      end: { line: 4, character: 20 },
    });
    assert.equal(action?.title, 'Leave the single quotes around this expression');
    const [edit] = action?.edit?.changes?.[TEST_URI] ?? [];
    assert.ok(edit);
    const from = document.offsetAt(edit.range.start);
    const fixed =
      text.slice(0, from) + edit.newText + text.slice(document.offsetAt(edit.range.end));
    assert.ok(fixed.includes(`run: echo 'on '"\${{ inputs.topic }}"' now'`), fixed);
    const after = createPipelineDocument(TEST_URI, fixed).parse.diagnostics;
    assert.deepEqual(after, [], 'the warning is gone');
  });

  it('offers only the fixes whose diagnostic touches the range', () => {
    const text = lines('stages:', '  a:', '    rn: x', '    tiemout: 5m');
    const document = createPipelineDocument(TEST_URI, text);
    const line3 = { start: { line: 3, character: 5 }, end: { line: 3, character: 5 } };
    assert.deepEqual(
      codeActionsFor(document, line3).map((a) => a.title),
      ['Change "tiemout" to "timeout"'],
    );
  });

  it('sends diagnostics 0-based, with the fix as data', () => {
    const diagnostic = toLspDiagnostic({
      line: 3,
      column: 5,
      endLine: 3,
      endColumn: 7,
      severity: 'error',
      code: 'unknown-key',
      message: 'm',
      fix: { find: 'rn', replaceWith: 'run' },
    });
    assert.deepEqual(diagnostic, {
      range: { start: { line: 2, character: 4 }, end: { line: 2, character: 6 } },
      severity: 1,
      code: 'unknown-key',
      source: 'baton',
      message: 'm',
      data: { fix: { find: 'rn', replaceWith: 'run' } },
    });
    const open = toLspDiagnostic({
      line: 1,
      column: 1,
      severity: 'warning',
      code: 'c',
      message: 'm',
    });
    assert.deepEqual(open.range.end, { line: 0, character: 1 });
    assert.equal(open.severity, 2);
  });
});
