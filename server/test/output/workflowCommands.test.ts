import assert from 'node:assert/strict';
import {
  parseStageCommand,
  parseWorkflowCommandSyntax,
  unescapeMessage,
  unescapeProperty,
} from '../../src/output/workflowCommands';
import { parseTimeout } from '../../src/output/promptCommand';

describe('workflow command syntax', () => {
  it('splits name, properties and message', () => {
    assert.deepEqual(parseWorkflowCommandSyntax('::warning file=a.py,line=3::Look here'), {
      name: 'warning',
      properties: { file: 'a.py', line: '3' },
      message: 'Look here',
    });
    assert.deepEqual(parseWorkflowCommandSyntax('::endgroup::'), {
      name: 'endgroup',
      properties: {},
      message: '',
    });
  });

  it('unescapes messages and property values in one pass', () => {
    assert.equal(unescapeMessage('100%25 %0Adone%0D %2525 %3A'), '100% \ndone\r %25 %3A');
    assert.equal(unescapeProperty('a%3Ab%2Cc%25%0A'), 'a:b,c%\n');
    const syntax = parseWorkflowCommandSyntax(
      '::error title=Bad%3A one%2C two,file=x::50%25 done%0Anext',
    );
    assert.deepEqual(syntax?.properties, { title: 'Bad: one, two', file: 'x' });
    assert.equal(syntax?.message, '50% done\nnext');
  });

  it('keeps a :: inside the message', () => {
    assert.equal(parseWorkflowCommandSyntax('::debug::a::b')?.message, 'a::b');
  });

  it('skips property pairs without a key or =', () => {
    assert.deepEqual(parseWorkflowCommandSyntax('::notice a=1,junk,=2, b = 3 ::m')?.properties, {
      a: '1',
      b: ' 3 ',
    });
  });

  it('splits only lines that start with ::, names without blanks, properties only after a space', () => {
    assert.equal(parseWorkflowCommandSyntax('x::debug::m'), undefined);
    assert.equal(parseWorkflowCommandSyntax(':: debug::m'), undefined, 'an empty name');
    assert.equal(parseWorkflowCommandSyntax('::debug\tx::m'), undefined, 'a tab inside the name');
    assert.deepEqual(parseWorkflowCommandSyntax('::a=1::m'), {
      name: 'a=1',
      properties: {},
      message: 'm',
    });
  });

  it('skips a pair whose key is only blanks', () => {
    assert.deepEqual(parseWorkflowCommandSyntax('::notice  =x,a=1::m')?.properties, { a: '1' });
  });

  it('is not fooled by lines that only look similar', () => {
    for (const line of [
      '::',
      ':::',
      '::no end',
      ' ::debug::indented',
      ':: debug::x',
      'text ::debug::x',
    ]) {
      assert.equal(parseStageCommand(line), undefined, line);
    }
  });
});

describe('parseStageCommand', () => {
  it('reads progress as value/total or as a percentage, names case-insensitively', () => {
    assert.deepEqual(parseStageCommand('::progress value=3,total=10::Translating 3/10'), {
      kind: 'progress',
      progress: { percent: 30, value: 3, total: 10, message: 'Translating 3/10' },
    });
    assert.deepEqual(parseStageCommand('::PROGRESS value=42::'), {
      kind: 'progress',
      progress: { percent: 42 },
    });
    assert.deepEqual(parseStageCommand('::progress percent=7.5::x'), {
      kind: 'progress',
      progress: { percent: 7.5, message: 'x' },
    });
    assert.deepEqual(parseStageCommand('::progress value=12,total=10::'), {
      kind: 'progress',
      progress: { percent: 100, value: 12, total: 10 },
    });
  });

  it('takes the bounds of a progress value as valid: 0 and 100 without a total', () => {
    assert.deepEqual(parseStageCommand('::progress value=0::'), {
      kind: 'progress',
      progress: { percent: 0 },
    });
    assert.deepEqual(parseStageCommand('::progress value=100::'), {
      kind: 'progress',
      progress: { percent: 100 },
    });
    assert.deepEqual(parseStageCommand('::progress value=0,total=4::'), {
      kind: 'progress',
      progress: { percent: 0, value: 0, total: 4 },
    });
  });

  it('says why a progress line is invalid', () => {
    const reasons: Record<string, string> = {
      '::progress value= ::': 'value must be a number of at least 0',
      '::progress value=-0.5::': 'value must be a number of at least 0',
      '::progress value=100.5::': 'value without total is a percentage: at most 100',
      '::progress value=1,total=-2::': 'total must be a number above 0',
      '::progress value=1,total=::': 'total must be a number above 0',
    };
    for (const [line, reason] of Object.entries(reasons)) {
      assert.deepEqual(
        parseStageCommand(line),
        { kind: 'invalid', command: 'progress', reason },
        line,
      );
    }
  });

  it('reports malformed progress as invalid, never as progress', () => {
    for (const line of [
      '::progress::',
      '::progress value=abc::',
      '::progress value=-1::',
      '::progress value=150::',
      '::progress value=1,total=0::',
      '::progress value=1,total=x::',
      '::progress value=Infinity::',
    ]) {
      assert.equal(parseStageCommand(line)?.kind, 'invalid', line);
    }
  });

  it('reads prompts of every type with their options, defaults and timeouts', () => {
    assert.deepEqual(
      parseStageCommand(
        '::prompt id=go,type=choice,options=yes|no,default=no,timeout=60::Overwrite the results?',
      ),
      {
        kind: 'prompt',
        prompt: {
          id: 'go',
          type: 'choice',
          options: ['yes', 'no'],
          default: 'no',
          timeoutMs: 60_000,
          message: 'Overwrite the results?',
        },
      },
    );
    assert.deepEqual(parseStageCommand('::prompt::Your name?'), {
      kind: 'prompt',
      prompt: { type: 'text', message: 'Your name?' },
    });
    assert.deepEqual(parseStageCommand('::prompt options=a | b::Pick'), {
      kind: 'prompt',
      prompt: { type: 'choice', options: ['a', 'b'], message: 'Pick' },
    });
    assert.deepEqual(
      parseStageCommand('::prompt type=multi,options=a|b|c,default=a|c::Pick some'),
      {
        kind: 'prompt',
        prompt: {
          type: 'multi',
          options: ['a', 'b', 'c'],
          default: ['a', 'c'],
          message: 'Pick some',
        },
      },
    );
    assert.deepEqual(
      parseStageCommand('::prompt type=Number,default=2.5,timeout=1m30s::How many?'),
      {
        kind: 'prompt',
        prompt: { type: 'number', default: 2.5, timeoutMs: 90_000, message: 'How many?' },
      },
    );
    assert.deepEqual(parseStageCommand('::prompt type=confirm,default=Yes::Sure?'), {
      kind: 'prompt',
      prompt: { type: 'confirm', default: true, message: 'Sure?' },
    });
    assert.deepEqual(parseStageCommand('::prompt id=t,type=text,default=a%2Cb::Text?'), {
      kind: 'prompt',
      prompt: { id: 't', type: 'text', default: 'a,b', message: 'Text?' },
    });
  });

  it('reports prompts that cannot be asked correctly', () => {
    const reasons: Record<string, RegExp> = {
      '::prompt type=date::When?': /type "date" is not one of/,
      '::prompt type=choice::Pick': /needs options/,
      '::prompt options=a|b,default=c::Pick': /default "c" is not one of the options/,
      '::prompt type=multi,options=a|b,default=a|z::Pick': /default "z"/,
      '::prompt type=number,default=many::N?': /not a number/,
      '::prompt type=confirm,default=maybe::Sure?': /not yes or no/,
      '::prompt timeout=soon::Q': /timeout "soon"/,
      '::prompt id=../x::Q': /id "..\/x"/,
    };
    for (const [line, reason] of Object.entries(reasons)) {
      const command = parseStageCommand(line);
      assert.equal(command?.kind, 'invalid', line);
      assert.match(command.kind === 'invalid' ? command.reason : '', reason, line);
    }
  });

  it('reads groups, debug messages and masks', () => {
    assert.deepEqual(parseStageCommand('::group::Build'), { kind: 'group', title: 'Build' });
    assert.deepEqual(parseStageCommand('::endgroup::'), { kind: 'endGroup' });
    assert.deepEqual(parseStageCommand('::debug::x=1'), { kind: 'debug', message: 'x=1' });
    assert.deepEqual(parseStageCommand('::add-mask::s3cr%25t'), {
      kind: 'addMask',
      value: 's3cr%t',
    });
  });

  it('reads annotations with every position property and drops invalid numbers', () => {
    assert.deepEqual(
      parseStageCommand(
        '::error file=src/a.py,line=3,col=7,endLine=4,endColumn=2,title=Type error::Bad value',
      ),
      {
        kind: 'annotation',
        annotation: {
          level: 'error',
          message: 'Bad value',
          file: 'src/a.py',
          line: 3,
          col: 7,
          endLine: 4,
          endColumn: 2,
          title: 'Type error',
        },
      },
    );
    assert.deepEqual(parseStageCommand('::Notice line=zero,col=0::hi'), {
      kind: 'annotation',
      annotation: { level: 'notice', message: 'hi' },
    });
    assert.deepEqual(parseStageCommand('::warning::careful'), {
      kind: 'annotation',
      annotation: { level: 'warning', message: 'careful' },
    });
  });

  it('takes line and column 1 as the first position, and drops fractions, empty file and title', () => {
    assert.deepEqual(
      parseStageCommand('::error file=,title=,line=1,col=1,endLine=2.5,endColumn=1::x'),
      {
        kind: 'annotation',
        annotation: { level: 'error', message: 'x', line: 1, col: 1, endColumn: 1 },
      },
    );
  });

  it('says which file replaces each state-changing command of old', () => {
    const files: Record<string, string> = {
      'set-output': '$GITHUB_OUTPUT (or $BATON_OUTPUT)',
      'save-state': '$GITHUB_STATE',
      'set-env': '$GITHUB_ENV',
      'add-path': '$GITHUB_PATH',
    };
    for (const [name, file] of Object.entries(files)) {
      const command = parseStageCommand(`::${name.toUpperCase()} name=x::1`);
      assert.equal(command?.kind, 'invalid', name);
      const reason = command.kind === 'invalid' ? command.reason : '';
      assert.ok(reason.startsWith(`::${name}:: is not supported: `), reason);
      assert.ok(reason.includes(`the file named by ${file} instead`), reason);
      assert.equal(command.kind === 'invalid' ? command.command : '', name);
    }
    assert.deepEqual(parseStageCommand('::stop-commands::'), {
      kind: 'invalid',
      command: 'stop-commands',
      reason: 'stop-commands needs a token as its message',
    });
  });

  it('reads stop-commands and refuses the state-changing commands of old', () => {
    assert.deepEqual(parseStageCommand('::stop-commands::tok123'), {
      kind: 'stopCommands',
      token: 'tok123',
    });
    assert.equal(parseStageCommand('::stop-commands::')?.kind, 'invalid');
    const setOutput = parseStageCommand('::set-output name=x::1');
    assert.equal(setOutput?.kind, 'invalid');
    assert.match(setOutput.kind === 'invalid' ? setOutput.reason : '', /\$BATON_OUTPUT/);
    assert.equal(parseStageCommand('::save-state name=x::1')?.kind, 'invalid');
  });

  it('leaves unknown command names as plain output', () => {
    assert.equal(parseStageCommand('::frobnicate::x'), undefined);
    assert.equal(parseStageCommand('::echo::on'), undefined);
  });

  it('reads Azure logging commands and formatting lines', () => {
    assert.deepEqual(parseStageCommand('##vso[task.setprogress value=75;]Current operation'), {
      kind: 'progress',
      progress: { percent: 75, message: 'Current operation' },
    });
    assert.deepEqual(parseStageCommand('##vso[task.setProgress value=5]'), {
      kind: 'progress',
      progress: { percent: 5 },
    });
    assert.equal(parseStageCommand('##vso[task.setprogress value=500;]x')?.kind, 'invalid');
    assert.deepEqual(
      parseStageCommand(
        '##vso[task.logissue type=error;sourcepath=a%3Bb.cs;linenumber=4;columnnumber=2;]100%AZP25 bad',
      ),
      {
        kind: 'annotation',
        annotation: { level: 'error', message: '100% bad', file: 'a;b.cs', line: 4, col: 2 },
      },
    );
    assert.equal(parseStageCommand('##vso[task.setvariable variable=x]1'), undefined);
    assert.equal(parseStageCommand('##vso[task.setprogress value=1'), undefined);
    assert.deepEqual(parseStageCommand('##[group]Restore'), { kind: 'group', title: 'Restore' });
    assert.deepEqual(parseStageCommand('##[endgroup]'), { kind: 'endGroup' });
    assert.deepEqual(parseStageCommand('##[warning]Low disk'), {
      kind: 'annotation',
      annotation: { level: 'warning', message: 'Low disk' },
    });
    assert.deepEqual(parseStageCommand('##[debug]x'), { kind: 'debug', message: 'x' });
    assert.equal(parseStageCommand('##[section]x'), undefined);
  });

  it('reads TeamCity progress messages with | escapes', () => {
    assert.deepEqual(
      parseStageCommand("##teamcity[progressMessage 'Step |'one|' ||1|n|[ok|] |0x00e9']"),
      {
        kind: 'progress',
        progress: { message: "Step 'one' |1\n[ok] é" },
      },
    );
    assert.deepEqual(parseStageCommand("##teamcity[progressStart 'Compiling']"), {
      kind: 'progress',
      progress: { message: 'Compiling' },
    });
    assert.equal(parseStageCommand("##teamcity[progressMessage 'unterminated]"), undefined);
    assert.equal(parseStageCommand("##teamcity[buildStatus text='x']"), undefined);
  });
});

describe('parseTimeout', () => {
  it('reads seconds and durations', () => {
    assert.equal(parseTimeout('60'), 60_000);
    assert.equal(parseTimeout('1.5'), 1500);
    assert.equal(parseTimeout('90s'), 90_000);
    assert.equal(parseTimeout('5m'), 300_000);
    assert.equal(parseTimeout('1h30m'), 5_400_000);
    assert.equal(parseTimeout('500ms'), 500);
    assert.equal(parseTimeout(' 2m '), 120_000);
    for (const bad of ['', 'soon', '-5', '5x', 'm', '1e3', '9'.repeat(60)]) {
      assert.equal(parseTimeout(bad), undefined, bad);
    }
  });
});
