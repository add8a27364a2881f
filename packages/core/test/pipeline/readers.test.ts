import * as assert from 'node:assert/strict';
import { DiagnosticSink } from '../../src/pipeline/diagnosticSink';
import {
  checkKeys,
  describeNode,
  MAX_DURATION_MS,
  readBoolean,
  readDuration,
  readEntries,
  readNumber,
  readText,
  readTextList,
} from '../../src/pipeline/readers';
import type { SourceMap, SourceNode } from '../../src/pipeline/sourceNode';
import { readYamlWithLibrary } from '../../src/pipeline/yamlSource';

/** The value written after `v: ` in a one-key YAML file, and a sink for that file. */
function value(written: string): { node: SourceNode; sink: DiagnosticSink } {
  const { root, sink } = readYamlWithLibrary(`v: ${written}\n`, 'r.yaml');
  assert.deepEqual(sink.diagnostics, [], written);
  const entry = (root as SourceMap).entries[0];
  assert.ok(entry, written);
  return { node: entry.value, sink };
}

/** `[code, column, endColumn, message]` of each diagnostic (all on line 1 here). */
function reported(sink: DiagnosticSink): [string, number, number | undefined, string][] {
  return sink.diagnostics.map((d) => [d.code, d.column, d.endColumn, d.message]);
}

describe('pipeline readers: what each reader accepts and says', () => {
  it('describes each kind of value, clipping long texts at 40 characters', () => {
    const described = (written: string) => describeNode(value(written).node);
    assert.equal(described('{ a: 1 }'), 'a mapping');
    assert.equal(described('[a]'), 'a list');
    assert.equal(described('~'), 'nothing');
    assert.equal(described('hello'), 'the text "hello"');
    assert.equal(described('1.50'), 'the number 1.50');
    assert.equal(described('false'), 'the boolean false');
    assert.equal(described('x'.repeat(40)), `the text "${'x'.repeat(40)}"`);
    assert.equal(described('y'.repeat(41)), `the text "${'y'.repeat(37)}..."`);
  });

  it('reads text from strings, numbers and booleans as written, not from nothing', () => {
    for (const [written, text] of [
      ['8080', '8080'],
      ['1.10', '1.10'],
      ['true', 'true'],
      ['"a b"', 'a b'],
    ] as const) {
      const { node, sink } = value(written);
      assert.equal(readText(node, sink, 'v'), text);
      assert.deepEqual(sink.diagnostics, []);
    }
    const { node, sink } = value('~');
    assert.equal(readText(node, sink, 'path.v'), undefined);
    assert.deepEqual(reported(sink), [['wrong-type', 4, 5, 'path.v: expected text, got nothing.']]);
    const list = value('[a]');
    assert.equal(readText(list.node, list.sink, 'v'), undefined);
    assert.deepEqual(reported(list.sink), [['wrong-type', 4, 7, 'v: expected text, got a list.']]);
  });

  it('reads booleans only from true and false', () => {
    const yes = value('false');
    assert.equal(readBoolean(yes.node, yes.sink, 'v'), false);
    assert.deepEqual(yes.sink.diagnostics, []);
    const text = value('"true"');
    assert.equal(readBoolean(text.node, text.sink, 'v'), undefined);
    assert.deepEqual(reported(text.sink), [
      ['wrong-type', 4, 10, 'v: expected true or false, got the text "true".'],
    ]);
    const list = value('[true]');
    assert.equal(readBoolean(list.node, list.sink, 'v'), undefined);
    assert.equal(list.sink.diagnostics[0]?.code, 'wrong-type');
  });

  it('reads numbers within their bounds, both bounds included', () => {
    const rule = { integer: true, min: 1, max: 10 };
    for (const [written, expected] of [
      ['1', 1],
      ['10', 10],
      ['5', 5],
    ] as const) {
      const { node, sink } = value(written);
      assert.equal(readNumber(node, sink, 'v', rule), expected);
      assert.deepEqual(sink.diagnostics, []);
    }
    const cases: [string, object, string, string][] = [
      ['0', rule, 'out-of-range', 'v: 0 is out of range; use 1 to 10.'],
      ['11', rule, 'out-of-range', 'v: 11 is out of range; use 1 to 10.'],
      ['0', { min: 1 }, 'out-of-range', 'v: 0 is out of range; use at least 1.'],
      ['6', { max: 5 }, 'out-of-range', 'v: 6 is out of range; use at most 5.'],
      ['1.5', rule, 'wrong-type', 'v: expected a whole number, got the number 1.5.'],
      ['.inf', {}, 'wrong-type', 'v: expected a number, got the number .inf.'],
      ['"3"', {}, 'wrong-type', 'v: expected a number, got the text "3".'],
      ['[3]', { integer: true }, 'wrong-type', 'v: expected a whole number, got a list.'],
    ];
    for (const [written, bounds, code, message] of cases) {
      const { node, sink } = value(written);
      assert.equal(readNumber(node, sink, 'v', bounds), undefined, written);
      assert.deepEqual(
        sink.diagnostics.map((d) => [d.code, d.message]),
        [[code, message]],
        written,
      );
    }
    const fraction = value('1.5');
    assert.equal(readNumber(fraction.node, fraction.sink, 'v', { min: 1, max: 2 }), 1.5);
    const below = value('-1');
    assert.equal(readNumber(below.node, below.sink, 'v', {}), -1);
  });

  it('reads durations with a unit, up to about 24 days, zero only when allowed', () => {
    const hint = 'a duration such as 500ms, 30s, 5m, 1h or 1h30m';
    const ok = value('1h30m');
    assert.equal(readDuration(ok.node, ok.sink, 'v'), 5_400_000);
    const max = value(`${MAX_DURATION_MS}ms`);
    assert.equal(readDuration(max.node, max.sink, 'v'), MAX_DURATION_MS);
    assert.deepEqual(max.sink.diagnostics, []);
    const zero = value('0s');
    assert.equal(readDuration(zero.node, zero.sink, 'v', true), 0);
    assert.deepEqual(zero.sink.diagnostics, []);
    const cases: [string, string, string][] = [
      ['30', 'bad-duration', `v: 30 has no unit; write ${hint} (e.g. 30s).`],
      ['[1s]', 'wrong-type', `v: expected ${hint}, got a list.`],
      ['5x', 'bad-duration', `v: "5x" is not ${hint}.`],
      ['0s', 'bad-duration', 'v: the duration must be longer than zero.'],
      [
        `${MAX_DURATION_MS + 1}ms`,
        'bad-duration',
        'v: durations are limited to about 24 days (596h).',
      ],
    ];
    for (const [written, code, message] of cases) {
      const { node, sink } = value(written);
      assert.equal(readDuration(node, sink, 'v'), undefined, written);
      assert.deepEqual(
        sink.diagnostics.map((d) => [d.code, d.message]),
        [[code, message]],
        written,
      );
    }
  });

  it('reads lists of texts, a single text only when allowed, nothing as an empty list', () => {
    const empty = value('~');
    assert.deepEqual(readTextList(empty.node, empty.sink, 'v'), []);
    const single = value('a.txt');
    assert.deepEqual(readTextList(single.node, single.sink, 'v', true), ['a.txt']);
    assert.deepEqual(single.sink.diagnostics, []);
    const list = value('[a, 2, true]');
    assert.deepEqual(readTextList(list.node, list.sink, 'v'), ['a', '2', 'true']);
    const refused = value('a.txt');
    assert.equal(readTextList(refused.node, refused.sink, 'v'), undefined);
    assert.deepEqual(reported(refused.sink), [
      ['wrong-type', 4, 9, 'v: expected a list, got the text "a.txt".'],
    ]);
    const map = value('{ a: 1 }');
    assert.equal(readTextList(map.node, map.sink, 'v', true), undefined);
    assert.deepEqual(
      map.sink.diagnostics.map((d) => d.message),
      ['v: expected a list or a single text, got a mapping.'],
    );
    const holes = value('[a, ~, [b]]');
    assert.equal(readTextList(holes.node, holes.sink, 'v'), undefined);
    assert.deepEqual(reported(holes.sink), [
      ['wrong-type', 8, 9, 'v[1]: expected text, got nothing.'],
      ['wrong-type', 11, 14, 'v[2]: expected text, got a list.'],
    ]);
  });

  it('reads mappings, the first of a repeated key winning, nothing as an empty mapping', () => {
    const empty = value('~');
    assert.deepEqual(readEntries(empty.node, empty.sink, 'v'), new Map());
    const list = value('[a]');
    assert.equal(readEntries(list.node, list.sink, 'v'), undefined);
    assert.deepEqual(
      list.sink.diagnostics.map((d) => d.message),
      ['v: expected a mapping of names to values, got a list.'],
    );
    const text = 'v:\n  a: 1\n  b: 2\n  a: 3\n';
    const { root } = readYamlWithLibrary(text, 'r.yaml');
    const node = (root as SourceMap).entries[0]?.value;
    assert.ok(node);
    for (const [what, code, subject] of [
      [undefined, 'duplicate-key', 'The key "a"'],
      ['key', 'duplicate-key', 'The key "a"'],
      ['stage', 'duplicate-id', 'The stage "a"'],
      ['input', 'duplicate-id', 'The input "a"'],
    ] as const) {
      const sink = new DiagnosticSink('r.yaml', readYamlWithLibrary(text, 'r.yaml').sink.lines);
      const entries = readEntries(node, sink, 'v', what);
      assert.deepEqual([...(entries?.keys() ?? [])], ['a', 'b']);
      const first = entries?.get('a')?.value;
      assert.equal(first?.kind === 'scalar' ? first.value : undefined, 1);
      assert.deepEqual(
        sink.diagnostics.map((d) => [d.code, d.line, d.column, d.endColumn, d.message]),
        [
          [
            code,
            4,
            3,
            4,
            `${subject} is declared twice in v (first on line 2); names must be unique.`,
          ],
        ],
      );
    }
  });

  it('reports unknown keys with a hint from other tools, a near key, or the allowed list', () => {
    const text =
      'v:\n  depends_on: 1\n  tiemout: 2\n  zzz: 3\n  run: 4\n  Script: 5\n  Working-Directory: 6\n';
    const { root, sink } = readYamlWithLibrary(text, 'r.yaml');
    const node = (root as SourceMap).entries[0]?.value;
    assert.ok(node);
    const entries = readEntries(node, sink, 'v');
    assert.ok(entries);
    checkKeys(entries, ['run', 'needs', 'timeout', 'cwd'], sink, 'stages.a');
    assert.deepEqual(
      sink.diagnostics.map((d) => [d.code, d.line, d.column, d.message, d.fix]),
      [
        [
          'unknown-key',
          2,
          3,
          'stages.a: unknown key "depends_on". Did you mean "needs"?',
          { find: 'depends_on', replaceWith: 'needs' },
        ],
        [
          'unknown-key',
          3,
          3,
          'stages.a: unknown key "tiemout". Did you mean "timeout"?',
          { find: 'tiemout', replaceWith: 'timeout' },
        ],
        [
          'unknown-key',
          4,
          3,
          'stages.a: unknown key "zzz". Allowed here: run, needs, timeout, cwd.',
          undefined,
        ],
        [
          'unknown-key',
          6,
          3,
          'stages.a: unknown key "Script". Did you mean "run"?',
          { find: 'Script', replaceWith: 'run' },
        ],
        [
          'unknown-key',
          7,
          3,
          'stages.a: unknown key "Working-Directory". Did you mean "cwd"?',
          { find: 'Working-Directory', replaceWith: 'cwd' },
        ],
      ],
    );
    // A hint is offered only when its key is allowed at that level.
    const other = new DiagnosticSink('r.yaml', sink.lines);
    checkKeys(entries, ['run', 'depends', 'timeout', 'zzz'], other, 'x');
    assert.deepEqual(
      other.diagnostics.map((d) => d.message),
      [
        'x: unknown key "depends_on". Did you mean "depends"?',
        'x: unknown key "tiemout". Did you mean "timeout"?',
        'x: unknown key "Script". Did you mean "run"?',
        'x: unknown key "Working-Directory". Allowed here: run, depends, timeout, zzz.',
      ],
    );
    const long = new DiagnosticSink('r.yaml', sink.lines);
    const key = 'q'.repeat(50);
    const zzzEntry = entries.get('zzz');
    assert.ok(zzzEntry);
    checkKeys(new Map([[key, zzzEntry]]), ['run'], long, 'x');
    assert.equal(
      long.diagnostics[0]?.message,
      `x: unknown key "${'q'.repeat(37)}...". Allowed here: run.`,
    );
  });
});
