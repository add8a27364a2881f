import * as assert from 'node:assert/strict';
import { parse } from './helpers';

// One file, ten different mistakes; the comment on each line names the one it holds.
const TEN_MISTAKES = `name: Ten mistakes
concurrency: many                    # 1 wrong type
inputs:
  pillar:
    type: choice
    options: [one, two]
    default: three                   # 2 default not among options
schedule: { cron: "0 25 * * *" }     # 3 bad cron (hour 25)
stages:
  fetch:
    run: curl -o data.json "\${{ inputs.pilar }}"   # 4 unknown input
    timeout: 10 minutes              # 5 bad duration
  transform:
    needs: [fetch, lint]
    run: ./transform
    retry: { attempts: 3, jiter: 0.2 }   # 6 unknown key
  lint:
    needs: [transform]               # 7 cycle transform → lint → transform
    run: ""                          # 8 empty run
  report:
    needs: [fetsh]                   # 9 unknown need
    run: echo "\${{ stages.transform.outputs.rows }}"   # 10 not a dependency
`;

describe('a file with ten different mistakes', () => {
  it('reports all ten, each on the right line', () => {
    const result = parse(TEN_MISTAKES, 'ten.pipeline.yaml');
    assert.equal(result.pipeline, undefined);
    const found = result.diagnostics.map((d) => [d.line, d.code]);
    assert.deepEqual(found, [
      [2, 'wrong-type'],
      [7, 'bad-default'],
      [8, 'bad-cron'],
      [11, 'unknown-input'],
      [12, 'bad-duration'],
      [14, 'cycle'],
      [16, 'unknown-key'],
      [19, 'empty-run'],
      [21, 'unknown-need'],
      [22, 'not-a-dependency'],
    ]);
    const byCode = new Map(result.diagnostics.map((d) => [d.code, d.message]));
    assert.match(byCode.get('cycle') ?? '', /transform → lint → transform/);
    assert.match(byCode.get('unknown-input') ?? '', /Did you mean "pillar"\?/);
    assert.match(byCode.get('unknown-key') ?? '', /Did you mean "jitter"\?/);
    assert.match(byCode.get('unknown-need') ?? '', /Did you mean "fetch"\?/);
    assert.ok(
      result.diagnostics.every((d) => d.file === 'ten.pipeline.yaml' && d.severity === 'error'),
    );
  });
});
