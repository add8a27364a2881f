import assert from 'node:assert/strict';
import { Masker } from '../../src/output/masker';
import { StageOutputRecorder } from './stageOutputRecorder';

describe('StageOutputProcessor', () => {
  it('passes ordinary lines of both streams through', () => {
    const out = new StageOutputRecorder().push('hello\n').push('oops\n', 'stderr');
    out.processor.flush();
    assert.deepEqual(out.lines, [
      { text: 'hello', stream: 'stdout', kind: 'text' },
      { text: 'oops', stream: 'stderr', kind: 'text' },
    ]);
  });

  it('turns ::progress into progress and a readable log line', () => {
    const out = new StageOutputRecorder().push('::progress value=3,total=10::Translating\n');
    assert.deepEqual(out.progress, [{ percent: 30, value: 3, total: 10, message: 'Translating' }]);
    assert.deepEqual(out.texts(), ['[progress] 30% (3/10) Translating']);
    assert.equal(out.lines[0]?.kind, 'progress');
  });

  it('opens prompts, numbering those without an id', () => {
    const out = new StageOutputRecorder()
      .push('::prompt id=go,options=yes|no,default=no,timeout=60::Overwrite?\n')
      .push('::prompt::Name?\n');
    assert.deepEqual(out.prompts, [
      {
        id: 'go',
        type: 'choice',
        options: ['yes', 'no'],
        default: 'no',
        timeoutMs: 60_000,
        message: 'Overwrite?',
      },
      { id: 'prompt-2', type: 'text', message: 'Name?' },
    ]);
    assert.deepEqual(out.texts(), [
      '[prompt go] Overwrite? (yes|no; default: no; timeout: 60s)',
      '[prompt prompt-2] Name?',
    ]);
  });

  it('honours commands on stdout only; stderr shows them as text', () => {
    const out = new StageOutputRecorder().push('::prompt::Name?\n::group::G\n', 'stderr');
    assert.deepEqual(out.prompts, []);
    assert.deepEqual(out.groups, []);
    assert.deepEqual(out.texts(), ['::prompt::Name?', '::group::G']);
  });

  it('tags lines inside a group with its title, on both streams', () => {
    const out = new StageOutputRecorder()
      .push('::group::Install\nstep 1\n')
      .push('warn\n', 'stderr')
      .push('::endgroup::\nafter\n');
    assert.deepEqual(out.groups, [{ kind: 'start', title: 'Install' }, { kind: 'end' }]);
    assert.deepEqual(out.lines, [
      { text: '[group] Install', stream: 'stdout', kind: 'group', group: 'Install' },
      { text: 'step 1', stream: 'stdout', kind: 'text', group: 'Install' },
      { text: 'warn', stream: 'stderr', kind: 'text', group: 'Install' },
      { text: '[endgroup]', stream: 'stdout', kind: 'group', group: 'Install' },
      { text: 'after', stream: 'stdout', kind: 'text' },
    ]);
  });

  it('ends an open group when a new one starts: groups do not nest', () => {
    const out = new StageOutputRecorder().push('::group::A\n::group::B\nin b\n');
    assert.deepEqual(out.groups, [
      { kind: 'start', title: 'A' },
      { kind: 'end' },
      { kind: 'start', title: 'B' },
    ]);
    assert.equal(out.lines.at(-1)?.group, 'B');
  });

  it('reports annotations and debug lines', () => {
    const out = new StageOutputRecorder().push(
      '::warning file=a.py,line=3,title=T::Look\n::debug::d\n',
    );
    assert.deepEqual(out.annotations, [
      { level: 'warning', message: 'Look', file: 'a.py', line: 3, title: 'T' },
    ]);
    assert.deepEqual(out.texts(), ['[warning] a.py:3: T: Look', '[debug] d']);
  });

  it('never shows an ::add-mask:: line and masks the value everywhere afterwards', () => {
    const out = new StageOutputRecorder()
      .push('::add-mask::hunter2\n')
      .push('pw is hunter2\n')
      .push('hunter2 on stderr\n', 'stderr')
      .push('::prompt options=hunter2|other,default=hunter2::Pick hunter2?\n')
      .push('::error title=hunter2::bad hunter2\n::progress value=1::hunter2\n::group::hunter2\n');
    assert.deepEqual(out.masks, ['hunter2']);
    assert.ok(!out.everything().includes('hunter2'), out.everything());
    assert.equal(out.lines[0]?.text, 'pw is ***');
    assert.equal(out.prompts[0]?.message, 'Pick ***?');
    // The answer the stage gets from the default or options must be the real value.
    assert.equal(out.prompts[0]?.default, 'hunter2');
    assert.deepEqual(out.prompts[0]?.options, ['hunter2', 'other']);
  });

  it('honours ::add-mask:: on stderr too, without echoing it', () => {
    const out = new StageOutputRecorder().push('::add-mask::s3cr3t\n', 'stderr').push('s3cr3t\n');
    assert.deepEqual(out.texts(), ['***']);
  });

  it('masks a secret split across chunks and a secret from a shared masker', () => {
    const masker = new Masker();
    masker.add('pipeline-secret');
    const out = new StageOutputRecorder({ masker })
      .push('::add-mask::abcdef\nxx ab')
      .push('cd')
      .push('ef yy pipeline-');
    out.push('secret\n');
    assert.deepEqual(out.texts(), ['xx *** yy ***']);
  });

  it('masks a multi-line secret given with escaped newlines', () => {
    const out = new StageOutputRecorder().push(
      '::add-mask::line-one%0Aline-two\nline-one\nline-two ok\n',
    );
    assert.deepEqual(out.texts(), ['***', '*** ok']);
  });

  it('says why a too-short mask value was ignored, without repeating it', () => {
    const out = new StageOutputRecorder().push('::add-mask::ab\n');
    assert.deepEqual(out.texts(), ['[baton] ::add-mask:: value ignored: too short to mask']);
    assert.deepEqual(out.masks, []);
  });

  it('shows malformed commands as text with a remark, and acts on none of them', () => {
    const out = new StageOutputRecorder().push(
      '::prompt type=date::When?\n::set-output name=x::1\n',
    );
    assert.deepEqual(out.prompts, []);
    assert.deepEqual(out.texts(), [
      '::prompt type=date::When?',
      '[baton] ignored ::prompt: type "date" is not one of choice, multi, text, number, confirm',
      '::set-output name=x::1',
      '[baton] ignored ::set-output: ::set-output:: is not supported: write name=value lines to the file named by $GITHUB_OUTPUT (or $BATON_OUTPUT) instead',
    ]);
  });

  it('stops honouring commands until the resume token', () => {
    const out = new StageOutputRecorder()
      .push('::stop-commands::tok42\n::prompt::Ignored?\n::TOK42::\n')
      .push('::tok42::\n', 'stderr')
      .push('::tok42::\n::prompt::Asked?\n');
    assert.deepEqual(
      out.prompts.map((p) => p.message),
      ['Asked?'],
    );
    assert.deepEqual(out.texts(), [
      '[baton] workflow commands stopped until the resume token',
      '::prompt::Ignored?',
      '::TOK42::',
      '::tok42::',
      '[baton] workflow commands resumed',
      '[prompt prompt-1] Asked?',
    ]);
  });

  it('reads tqdm bars on stderr as progress and marks carriage-return updates', () => {
    const out = new StageOutputRecorder();
    out.push('\rTrain:   0%|          | 0/4 [00:00<?, ?it/s]', 'stderr');
    out.push('\rTrain:  50%|#####     | 2/4 [00:01<00:01]', 'stderr');
    out.push('\rTrain: 100%|##########| 4/4 [00:02<00:00]\n', 'stderr');
    assert.deepEqual(
      out.progress.map((p) => [p.percent, p.value, p.total, p.message]),
      [
        [0, 0, 4, 'Train'],
        [50, 2, 4, 'Train'],
        [100, 4, 4, 'Train'],
      ],
    );
    assert.deepEqual(
      out.lines.map((line) => line.kind),
      ['overwrite', 'overwrite', 'text'],
    );
  });

  it('takes OSC 9;4 progress out of the text', () => {
    const out = new StageOutputRecorder().push('\x1b]9;4;1;25\x07working\n\x1b]9;4;1;50\x07\n');
    assert.deepEqual(out.progress, [{ percent: 25 }, { percent: 50 }]);
    assert.deepEqual(out.texts(), ['working']);
  });

  it('reads Azure and TeamCity progress on stdout', () => {
    const out = new StageOutputRecorder().push(
      "##vso[task.setprogress value=75;]Copying\n##teamcity[progressMessage 'Linking']\n",
    );
    assert.deepEqual(out.progress, [{ percent: 75, message: 'Copying' }, { message: 'Linking' }]);
  });

  it('exposes the masked partial line for bare input() detection', () => {
    const out = new StageOutputRecorder().push(
      '::add-mask::topsecret\nfirst\nPassword for topsecret: ',
    );
    assert.equal(out.processor.partialLine(), 'Password for ***: ');
    assert.equal(out.processor.partialLine('stderr'), '');
    out.push('Name? ', 'stderr');
    assert.equal(out.processor.partialLine('stderr'), 'Name? ');
    out.push('\r 40%|####', 'stderr');
    assert.equal(out.processor.partialLine('stderr'), '', 'a progress bar is not a question');
  });

  it('delivers the unterminated last line at flush', () => {
    const out = new StageOutputRecorder().push('no newline');
    assert.deepEqual(out.texts(), []);
    out.processor.flush();
    assert.deepEqual(out.texts(), ['no newline']);
  });

  it('splits huge lines into bounded pieces, never reading commands from them, and masks across pieces', () => {
    const out = new StageOutputRecorder({ maxLineLength: 100 });
    out.push('::add-mask::the-secret-value\n');
    const line = '::prompt::' + 'x'.repeat(85) + 'the-secret-value' + 'y'.repeat(300) + '\n';
    for (let i = 0; i < line.length; i += 7) out.push(line.slice(i, i + 7));
    assert.deepEqual(out.prompts, []);
    assert.ok(out.lines.every((l) => l.text.length <= 100));
    assert.ok(!out.everything().includes('the-secret'), out.everything());
    assert.equal(out.texts().join(''), line.trimEnd().replace('the-secret-value', '***'));
    assert.ok(out.lines.slice(0, -1).every((l) => l.continues === true));
    assert.equal(out.lines.at(-1)?.continues, undefined);
  });
});
