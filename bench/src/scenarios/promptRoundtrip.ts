import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { AnswerPromptMethod, DidOpenPromptMethod } from '@baton/protocol';
import { latencySeries, p99Row, peerLatencySeries } from '../latency';
import type { Repetition } from '../latency';
import type { ScenarioOutcome } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { runThroughServer, withServer } from '../serverRun';
import type { BenchServer } from '../serverRun';
import { nodeCommand, writeStageScript } from '../stageScripts';

const TARGET_MS = 20;

function readTimes(file: string): number[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed) || !parsed.every((n) => typeof n === 'number')) {
    throw new Error(`${file} does not hold a list of times`);
  }
  return parsed as number[];
}

/** Through Baton: the client answers each `didOpenPrompt` at once; the stage times the round trip. */
async function throughBaton(
  server: BenchServer,
  script: string,
  count: number,
  out: string,
): Promise<number[]> {
  const yaml = `name: prompts\nstages:\n  ask:\n    run: ${JSON.stringify(nodeCommand(script, [count, out]))}\n`;
  const result = await runThroughServer(server, 'prompts', yaml, {
    beforeStart: (client, runId) => {
      client.onNotification(DidOpenPromptMethod, (prompt) => {
        if (prompt.runId !== runId()) return;
        void client.request(AnswerPromptMethod, {
          runId: prompt.runId,
          promptId: prompt.promptId,
          value: 'ok',
        });
      });
    },
  });
  if (result.status !== 'succeeded') throw new Error(`the prompt run ended ${result.status}`);
  return readTimes(out);
}

/** The machine's limit: the same program, answered straight through its stdin pipe. */
function throughPipe(script: string, count: number, out: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, String(count), out], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    if (child.stdout === null || child.stdin === null) throw new Error('no stdio pipes');
    const stdin = child.stdin;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('::prompt ')) stdin.write('ok\n');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(readTimes(out));
      else reject(new Error(`the prompt program exited ${String(code)}`));
    });
  });
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const script = writeStageScript(context.workDir, 'prompts.js');
  const reps = repetitions(context, 5, 3);
  const count = context.quick ? 40 : 100;
  const baton: Repetition[] = [];
  const pipe: Repetition[] = [];
  await withServer(context.workDir, async (server) => {
    for (let rep = 0; rep < reps; rep++) {
      baton.push(
        await throughBaton(server, script, count, path.join(context.workDir, `baton${rep}.json`)),
      );
      pipe.push(await throughPipe(script, count, path.join(context.workDir, `pipe${rep}.json`)));
      context.log(
        `rep ${rep + 1}/${reps}: ${baton.at(-1)?.length ?? 0} + ${pipe.at(-1)?.length ?? 0} prompts`,
      );
    }
  });
  return {
    rows: [
      p99Row({
        key: 'prompt_roundtrip_p99_ms',
        baton,
        peerName: 'raw pipe',
        peer: pipe,
        targetMs: TARGET_MS,
        note: `a stage prints ::prompt and reads stdin; the client answers each baton/didOpenPrompt at once with baton/answerPrompt; timed inside the stage; peer: the same program answered straight through its stdin`,
      }),
    ],
    latencies: [
      latencySeries('prompt: ::prompt → answer on stdin', baton, TARGET_MS),
      peerLatencySeries('prompt peer: raw pipe', pipe),
    ],
  };
}

/** `prompt_roundtrip_p99_ms`: a stage asks, the client answers at once, the stage reads the answer. */
export const promptRoundtripScenario: Scenario = {
  key: 'prompt_roundtrip_p99_ms',
  title: 'a stage asks, the client answers at once, the stage reads the answer',
  run,
};
