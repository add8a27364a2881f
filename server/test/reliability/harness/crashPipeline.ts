/**
 * The pipeline of the crash campaign: a generated graph of stages with
 * parallel branches, one flaky stage that fails its first attempt and is
 * retried, and one stage that asks a question. Every stage runs the same
 * shell script, which records what it does in a side file outside the state
 * directory, so the test can compare what really ran with what Baton says.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Random } from './random';

/**
 * The stage script. It appends `start`, `flushed <n>` (once line n is in its
 * log, so the line was in Baton's hands) and `end-ok` / `end-fail` records to
 * `$CHAOS_SIDE`. Appends of one short line are atomic, so parallel stages do
 * not mix their records. The flaky stage fails with 75 the first time it gets
 * to its end in a run (a marker in `$BATON_STATE`, which survives resume).
 */
const STAGE_SCRIPT = `#!/bin/sh
me="$BATON_STAGE $BATON_ATTEMPT $BATON_RUN_ID"
echo "start $me" >> "$CHAOS_SIDE"
log="$BATON_RUN_DIR/logs/$BATON_STAGE.$BATON_ATTEMPT.log"
if [ "\${CHAOS_ASK:-0}" = 1 ]; then
  echo "::prompt id=go,type=confirm,default=yes::Carry on with $BATON_STAGE?"
  read -r answer
  [ "$answer" = true ] || { echo "unexpected answer: $answer"; exit 3; }
fi
i=1
while [ "$i" -le "$CHAOS_LINES" ]; do
  line="$BATON_STAGE attempt $BATON_ATTEMPT line $i"
  echo "$line"
  while ! grep -qxF "$line" "$log" 2>/dev/null; do sleep 0.01; done
  echo "flushed $me $i" >> "$CHAOS_SIDE"
  sleep "$CHAOS_NAP"
  i=$((i + 1))
done
if [ "\${CHAOS_FLAKY:-0}" = 1 ] && [ ! -e "$BATON_STATE/failed-once" ]; then
  touch "$BATON_STATE/failed-once"
  echo "end-fail $me" >> "$CHAOS_SIDE"
  exit 75
fi
echo "end-ok $me" >> "$CHAOS_SIDE"
`;

/** The id of the generated pipeline (its file is `crash.pipeline.json`). */
export const CRASH_PIPELINE_ID = 'crash';

/** Where the campaign's files are. */
export interface CrashFiles {
  readonly workspace: string;
  readonly pipelineFile: string;
  readonly sideFile: string;
  readonly stateDir: string;
  readonly stageIds: readonly string[];
  readonly flakyStage: string;
  readonly askingStage: string;
}

interface StageSpec {
  needs?: string[];
  run: string;
  env: Record<string, string>;
  retry?: { attempts: number; backoff: string };
}

function stageId(index: number): string {
  return `s${String(index + 1).padStart(2, '0')}`;
}

/** Needs of stage `index`: one or two of the few stages before it, so branches run in parallel. */
function needsOf(index: number, random: Random): string[] {
  if (index === 0) return [];
  const needs = new Set<string>();
  const count = index < 3 ? 1 : random.int(1, 2);
  while (needs.size < count) needs.add(stageId(Math.max(0, index - random.int(1, 5))));
  return [...needs].sort();
}

/**
 * Writes the stage script and a `stageCount`-stage pipeline, shaped by
 * `random`, into `workspace`. The state directory is `<workspace>/.baton`.
 */
export async function writeCrashPipeline(
  workspace: string,
  stageCount: number,
  random: Random,
): Promise<CrashFiles> {
  const script = path.join(workspace, 'stage.sh');
  const sideFile = path.join(workspace, 'executions.txt');
  await fs.writeFile(script, STAGE_SCRIPT, { mode: 0o755 });
  const flaky = random.int(1, stageCount - 1);
  let asking = random.int(1, stageCount - 1);
  if (asking === flaky) asking = (asking % (stageCount - 1)) + 1;
  const stages: Record<string, StageSpec> = {};
  for (let index = 0; index < stageCount; index++) {
    const needs = needsOf(index, random);
    const env: Record<string, string> = {
      CHAOS_LINES: String(random.int(2, 4)),
      CHAOS_NAP: `0.0${random.int(1, 6)}`,
    };
    if (index === flaky) env.CHAOS_FLAKY = '1';
    if (index === asking) env.CHAOS_ASK = '1';
    stages[stageId(index)] = {
      ...(needs.length > 0 ? { needs } : {}),
      run: `sh '${script}'`,
      env,
      ...(index === flaky ? { retry: { attempts: 3, backoff: '100ms' } } : {}),
    };
  }
  const pipeline = {
    name: 'Crash campaign',
    concurrency: 4,
    env: { CHAOS_SIDE: sideFile },
    stages,
  };
  const pipelineFile = path.join(workspace, `${CRASH_PIPELINE_ID}.pipeline.json`);
  await fs.writeFile(pipelineFile, `${JSON.stringify(pipeline, null, 2)}\n`);
  return {
    workspace,
    pipelineFile,
    sideFile,
    stateDir: path.join(workspace, '.baton'),
    stageIds: Object.keys(stages),
    flakyStage: stageId(flaky),
    askingStage: stageId(asking),
  };
}
