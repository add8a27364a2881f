import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes } from '@baton/protocol';
import { annotationProblems } from '../src/model/annotationDiagnostics';
import { commandTarget } from '../src/model/commandArgs';
import { errorText } from '../src/model/errorText';
import { formatDuration, formatTimeLeft } from '../src/model/format';
import { planRows, planSummary } from '../src/model/resumePlan';
import { ServerMirror } from '../src/model/serverMirror';
import { snapshot, summary } from './builders';

describe('format', () => {
  it('formats durations', () => {
    assert.deepEqual([850, 12_400, 245_000, 7_380_000].map(formatDuration), [
      '850ms',
      '12s',
      '4m 05s',
      '2h 03m',
    ]);
    assert.equal(formatTimeLeft(10_500, 0), '11s left');
  });
});

describe('commandTarget', () => {
  it('reads tree nodes, plain ids and nothing', () => {
    assert.deepEqual(commandTarget([{ kind: 'stage', runId: 'r', stageId: 's' }]), {
      runId: 'r',
      stageId: 's',
    });
    assert.deepEqual(commandTarget([{ kind: 'pipeline', pipelineId: 'p' }]), { pipelineId: 'p' });
    assert.deepEqual(commandTarget(['r', 'p1'], 'promptId'), { runId: 'r', promptId: 'p1' });
    assert.deepEqual(commandTarget([]), {});
  });
});

describe('resume plan', () => {
  it('summarises the plan and explains each step', () => {
    const plan = {
      steps: [
        { stage: 'a', action: 'skip', reason: 'succeeded before' },
        { stage: 'b', action: 'rerun', reason: 'failed with exit 1' },
        { stage: 'c', action: 'run', reason: 'never ran' },
      ],
    } as const;
    assert.equal(planSummary(plan), '1 to run, 1 to re-run, 1 skipped');
    assert.deepEqual(planRows(plan)[1], {
      label: '$(debug-rerun) b',
      description: 're-run',
      detail: 'failed with exit 1',
    });
  });

  it('counts and shows stages re-attached to their remote attempt', () => {
    const plan = {
      steps: [{ stage: 'train', action: 'attach', reason: 'attempt 1 was left running' }],
    } as const;
    assert.equal(planSummary(plan), '1 to re-attach');
    assert.deepEqual(planRows(plan)[0], {
      label: '$(plug) train',
      description: 're-attach',
      detail: 'attempt 1 was left running',
    });
  });
});

describe('errorText', () => {
  it('names the wrong field of an invalid-params error', () => {
    const error = {
      code: ErrorCodes.InvalidParams,
      message: 'Invalid params',
      data: { field: 'value', reason: 'expected a number' },
    };
    assert.equal(errorText(error), 'Invalid params (value: expected a number)');
    assert.equal(errorText(new Error('plain')), 'plain');
  });
});

describe('problems', () => {
  it('keeps only the newest run of each pipeline', () => {
    const store = new ServerMirror();
    const annotation = (message: string) => ({
      kind: 'annotation' as const,
      seq: 1,
      runId: 'x',
      time: 0,
      stage: 'lint',
      attempt: 1,
      annotation: {
        severity: 'warning' as const,
        message,
        path: '/ws/a.py',
        range: { line: 2, column: 5 },
      },
    });
    store.setSnapshot(
      snapshot({
        runId: 'old',
        createdAt: 1,
        recentEvents: [{ ...annotation('old'), runId: 'old' }],
      }),
    );
    store.setSnapshot(
      snapshot({
        runId: 'new',
        createdAt: 2,
        recentEvents: [{ ...annotation('new'), runId: 'new' }],
      }),
    );
    store.addSummaries([summary({ runId: 'elsewhere', pipeline: 'etl' })]);
    const problems = annotationProblems(store.allRuns());
    assert.deepEqual([...problems.keys()], ['/ws/a.py']);
    assert.deepEqual(
      problems.get('/ws/a.py')?.map((p) => [p.message, p.severity, p.source]),
      [['new', 'warning', 'Baton Build › lint']],
    );
  });

  it('resolves an annotation file the server left relative against the pipeline folder', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ file: '/ws/sub/build.pipeline.yaml' }));
    store.annotate({
      seq: 20,
      runId: 'r1',
      stage: 'lint',
      attempt: 1,
      annotation: {
        severity: 'error',
        message: 'bad',
        file: 'src/a.py',
        range: { line: 1, column: 1 },
      },
    });
    assert.deepEqual([...annotationProblems(store.allRuns()).keys()], ['/ws/sub/src/a.py']);
  });
});

describe('business logic', () => {
  it('never imports vscode, so it runs in plain Node', () => {
    const dir = join(__dirname, '..', '..', 'src', 'model');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      assert.doesNotMatch(text, /from 'vscode'/, `${file} imports vscode`);
    }
  });
});
